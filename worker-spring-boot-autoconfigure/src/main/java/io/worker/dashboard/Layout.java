package io.worker.dashboard;

/**
 * The frame around every page: the navigation, the stylesheet and the script, both served from the
 * jar, and no inline script or style, so that the page works under a strict Content-Security-Policy.
 */
final class Layout {

	private final String base;

	Layout(String base) {
		this.base = base;
	}

	String base() {
		return this.base;
	}

	String page(String title, String body) {
		return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
				+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" + "<title>"
				+ Html.escape(title) + " · Worker</title><link rel=\"stylesheet\" href=\"" + this.base
				+ "/assets/dashboard.css\"><script defer src=\"" + this.base + "/assets/dashboard.js\"></script>"
				+ "</head><body><nav><a href=\"" + this.base + "/\" data-test=\"nav-overview\">Overview</a> <a href=\""
				+ this.base + "/workers\" data-test=\"nav-workers\">Workers</a> <a href=\"" + this.base
				+ "/schedules\" data-test=\"nav-schedules\">Schedules</a><form class=\"search\" method=\"get\" action=\""
				+ this.base + "/search\"><input type=\"search\" name=\"q\" id=\"search-box\" data-test=\"search-box\""
				+ " placeholder=\"Search tasks\" aria-label=\"Search tasks\"></form></nav><main><h1>"
				+ Html.escape(title) + "</h1>" + body + "</main></body></html>";
	}

	/**
	 * A form posting one action, with the viewer's CSRF field.
	 * @param action the path under the base, already encoded
	 * @param label the button's text
	 * @param test the button's {@code data-test} value
	 * @param confirm a question to confirm, or {@code null}
	 */
	String button(Viewer viewer, String action, String label, String test, String hidden, String confirm) {
		return "<form class=\"action\" method=\"post\" action=\"" + this.base + action + "\">" + viewer.csrfField()
				+ hidden + "<button type=\"submit\" data-test=\"" + Html.escape(test) + "\""
				+ ((confirm != null) ? " data-confirm=\"" + Html.escape(confirm) + "\"" : "") + ">" + Html.escape(label)
				+ "</button></form>";
	}

}
