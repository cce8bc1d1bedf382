package io.worker.runtime;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration written in an annotation attribute, in the two styles Spring Boot's properties
 * accept: simple ({@code 30s}, {@code 500ms}, {@code 5m}, {@code 2h}, {@code 1d}; a bare number is
 * milliseconds) or ISO-8601 ({@code PT30S}). The runtime keeps its own reader so that it needs no
 * Spring Boot class.
 */
final class AnnotationDurations {

	private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

	private AnnotationDurations() {
	}

	/**
	 * @throws IllegalArgumentException when the text is not a duration in either style
	 */
	static Duration parse(String text) {
		String value = text.trim();
		if (value.regionMatches(true, 0, "P", 0, 1) || value.regionMatches(true, 1, "P", 0, 1)) {
			try {
				return Duration.parse(value);
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration", ex);
			}
		}
		Matcher matcher = SIMPLE.matcher(value);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 500ms or PT30S");
		}
		long amount = Long.parseLong(matcher.group(1));
		return Duration.of(amount, unit(matcher.group(2).toLowerCase(Locale.ROOT), text));
	}

	private static ChronoUnit unit(String suffix, String text) {
		return switch (suffix) {
			case "", "ms" -> ChronoUnit.MILLIS;
			case "ns" -> ChronoUnit.NANOS;
			case "us" -> ChronoUnit.MICROS;
			case "s" -> ChronoUnit.SECONDS;
			case "m" -> ChronoUnit.MINUTES;
			case "h" -> ChronoUnit.HOURS;
			case "d" -> ChronoUnit.DAYS;
			default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + suffix + "'");
		};
	}

}
