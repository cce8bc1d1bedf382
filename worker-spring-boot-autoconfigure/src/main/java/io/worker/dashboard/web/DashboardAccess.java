package io.worker.dashboard.web;

import io.worker.dashboard.Viewer;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may read the dashboard and who may act on it, and the CSRF token their forms carry.
 */
public interface DashboardAccess {

	/** Whether the request may read the pages. */
	boolean canView(HttpServletRequest request);

	/** Whether the request may act (run, archive, delete, cancel, pause). */
	boolean canAct(HttpServletRequest request);

	/** The viewer the pages are rendered for. */
	Viewer viewer(HttpServletRequest request);

	/** Whether a write request carries a valid CSRF token. */
	boolean csrfValid(HttpServletRequest request);

	/** The user to name in the log of an action. */
	String user(HttpServletRequest request);

}
