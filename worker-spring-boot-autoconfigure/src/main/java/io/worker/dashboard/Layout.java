package io.worker.dashboard;

/**
 * The frame around every page: the navigation and the stylesheet, both served from the jar, and no
 * inline script or style, so that the page works under a strict Content-Security-Policy.
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
				+ "/assets/dashboard.css\"></head><body><nav><a href=\"" + this.base + "/\">Overview</a> <a href=\""
				+ this.base + "/workers\">Workers</a></nav><main><h1>" + Html.escape(title) + "</h1>" + body
				+ "</main></body></html>";
	}

}
