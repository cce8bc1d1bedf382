package io.worker.dashboard;

/**
 * Marks the part of a page that the dashboard's script refreshes: it fetches the same page as a
 * fragment every few seconds and swaps it in, so that counters move without a full reload.
 */
final class Live {

	private Live() {
	}

	static String wrap(String fragmentUrl, String body) {
		return "<div id=\"live\" data-refresh=\"" + Html.escape(fragmentUrl) + "\">" + body + "</div>";
	}

}
