package io.worker.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Escaping for the dashboard's HTML: everything a backend or a task supplies goes through here, so
 * that a payload or an error is shown as text and never runs as markup.
 */
public final class Html {

	private Html() {
	}

	/** The text escaped for an HTML element or a quoted attribute value. */
	public static String escape(String text) {
		StringBuilder out = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '&' -> out.append("&amp;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&#39;");
				default -> out.append(c);
			}
		}
		return out.toString();
	}

	/** The text encoded as one URL path segment or query value. */
	public static String url(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
