package io.worker.dashboard.web;

import io.worker.dashboard.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * Access under Spring Security: the viewer authority reads, the operator authority reads and acts.
 * The application's security filter chain authenticates and checks CSRF tokens; a write request
 * that reaches the dashboard without a CSRF token from that chain (its CSRF protection switched
 * off) is refused all the same.
 */
public final class SecurityDashboardAccess implements DashboardAccess {

	private final String viewerAuthority;

	private final String operatorAuthority;

	/** Access for the two authorities. */
	public SecurityDashboardAccess(String viewerAuthority, String operatorAuthority) {
		this.viewerAuthority = viewerAuthority;
		this.operatorAuthority = operatorAuthority;
	}

	@Override
	public boolean canView(HttpServletRequest request) {
		return has(this.viewerAuthority) || has(this.operatorAuthority);
	}

	@Override
	public boolean canAct(HttpServletRequest request) {
		return has(this.operatorAuthority);
	}

	@Override
	public Viewer viewer(HttpServletRequest request) {
		CsrfToken token = csrfToken(request);
		if (!canAct(request) || token == null) {
			return Viewer.READ_ONLY;
		}
		return new Viewer(true, token.getParameterName(), token.getToken());
	}

	@Override
	public boolean csrfValid(HttpServletRequest request) {
		// the chain's CsrfFilter has already refused a wrong token; none means it does not check
		return csrfToken(request) != null;
	}

	@Override
	public String user(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return (authentication != null) ? authentication.getName() : "anonymous";
	}

	private static @Nullable CsrfToken csrfToken(HttpServletRequest request) {
		return (CsrfToken) request.getAttribute(CsrfToken.class.getName());
	}

	private boolean has(String authority) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			return false;
		}
		for (GrantedAuthority granted : authentication.getAuthorities()) {
			if (authority.equals(granted.getAuthority())) {
				return true;
			}
		}
		return false;
	}

}
