package io.worker.dashboard.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import io.worker.dashboard.Viewer;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Access without Spring Security: everyone may read, and act only when the dashboard is writable.
 * Forms carry a token drawn at random when the application starts, which a page of another site
 * cannot read, so that a cross-site form post is refused.
 */
public final class AnonymousDashboardAccess implements DashboardAccess {

	static final String CSRF_PARAMETER = "_worker_csrf";

	private final boolean writable;

	private final String token;

	/** Access for a read-only or a writable dashboard. */
	public AnonymousDashboardAccess(boolean writable) {
		this.writable = writable;
		byte[] random = new byte[24];
		new SecureRandom().nextBytes(random);
		this.token = HexFormat.of().formatHex(random);
	}

	@Override
	public boolean canView(HttpServletRequest request) {
		return true;
	}

	@Override
	public boolean canAct(HttpServletRequest request) {
		return this.writable;
	}

	@Override
	public Viewer viewer(HttpServletRequest request) {
		return this.writable ? new Viewer(true, CSRF_PARAMETER, this.token) : Viewer.READ_ONLY;
	}

	@Override
	public boolean csrfValid(HttpServletRequest request) {
		String sent = request.getParameter(CSRF_PARAMETER);
		return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
				this.token.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public String user(HttpServletRequest request) {
		return "anonymous from " + request.getRemoteAddr();
	}

}
