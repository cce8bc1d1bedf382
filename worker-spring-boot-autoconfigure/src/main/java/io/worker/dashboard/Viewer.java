package io.worker.dashboard;

import org.jspecify.annotations.Nullable;

/**
 * Who looks at a page: whether they may act, and the CSRF field every form they get must carry.
 *
 * @param canAct whether action buttons are shown
 * @param csrfParameter the name of the form field holding the CSRF token, or {@code null} when the
 *     viewer cannot act
 * @param csrfToken the CSRF token, or {@code null} when the viewer cannot act
 */
public record Viewer(boolean canAct, @Nullable String csrfParameter, @Nullable String csrfToken) {

	/** A viewer who may only read. */
	public static final Viewer READ_ONLY = new Viewer(false, null, null);

	/** The hidden CSRF field for a form, or nothing for a read-only viewer. */
	String csrfField() {
		if (!this.canAct || this.csrfParameter == null || this.csrfToken == null) {
			return "";
		}
		return "<input type=\"hidden\" name=\"" + Html.escape(this.csrfParameter) + "\" value=\""
				+ Html.escape(this.csrfToken) + "\">";
	}

}
