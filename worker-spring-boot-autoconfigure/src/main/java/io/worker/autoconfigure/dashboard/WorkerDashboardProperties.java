package io.worker.autoconfigure.dashboard;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of Worker's web dashboard.
 */
@ConfigurationProperties("worker.dashboard")
public class WorkerDashboardProperties {

	/**
	 * Whether the dashboard is served by the application's web server.
	 */
	private boolean enabled;

	/**
	 * Path the dashboard is served under.
	 */
	private String path = "/worker";

	/**
	 * Whether the dashboard offers no action when Spring Security is absent. Under Spring Security
	 * the operator authority decides instead.
	 */
	private boolean readOnly = true;

	/**
	 * Whether a writable dashboard without Spring Security may start on a server that listens on a
	 * non-loopback address, letting anyone who reaches it act on tasks.
	 */
	private boolean allowUnauthenticatedRemote;

	/**
	 * Payload fields shown masked, at any depth, on pages and in searches.
	 */
	private Set<String> maskedFields = new LinkedHashSet<>(Set.of("password", "secret", "token"));

	/**
	 * Authority that may read the dashboard, under Spring Security.
	 */
	private String viewerAuthority = "WORKER_VIEWER";

	/**
	 * Authority that may read and act on the dashboard, under Spring Security.
	 */
	private String operatorAuthority = "WORKER_OPERATOR";

	/**
	 * How many tasks a search reads at most, since no backend indexes payloads or errors.
	 */
	private int searchScanLimit = 10_000;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public boolean isReadOnly() {
		return this.readOnly;
	}

	public void setReadOnly(boolean readOnly) {
		this.readOnly = readOnly;
	}

	public boolean isAllowUnauthenticatedRemote() {
		return this.allowUnauthenticatedRemote;
	}

	public void setAllowUnauthenticatedRemote(boolean allowUnauthenticatedRemote) {
		this.allowUnauthenticatedRemote = allowUnauthenticatedRemote;
	}

	public Set<String> getMaskedFields() {
		return this.maskedFields;
	}

	public void setMaskedFields(Set<String> maskedFields) {
		this.maskedFields = maskedFields;
	}

	public String getViewerAuthority() {
		return this.viewerAuthority;
	}

	public void setViewerAuthority(String viewerAuthority) {
		this.viewerAuthority = viewerAuthority;
	}

	public String getOperatorAuthority() {
		return this.operatorAuthority;
	}

	public void setOperatorAuthority(String operatorAuthority) {
		this.operatorAuthority = operatorAuthority;
	}

	public int getSearchScanLimit() {
		return this.searchScanLimit;
	}

	public void setSearchScanLimit(int searchScanLimit) {
		this.searchScanLimit = searchScanLimit;
	}

}
