package io.worker;

import java.time.DayOfWeek;
import java.util.Locale;

/**
 * Cron expressions for the common schedules, in Spring's six-field syntax
 * ({@code second minute hour day-of-month month day-of-week}).
 *
 * <pre class="code">
 * Schedule.builder("nightly-cleanup").cron(Cron.daily(3, 30)).task("cleanup:run").build();
 * </pre>
 */
public final class Cron {

	private Cron() {
	}

	/** At second 0 of every minute: {@code "0 * * * * *"}. */
	public static String everyMinute() {
		return "0 * * * * *";
	}

	/** At minute 0 of every hour: {@code "0 0 * * * *"}. */
	public static String hourly() {
		return "0 0 * * * *";
	}

	/**
	 * Every day at {@code hour:minute}.
	 * @param hour 0 to 23
	 * @param minute 0 to 59
	 * @return for example {@code "0 30 3 * * *"}
	 */
	public static String daily(int hour, int minute) {
		return "0 " + check(minute, 0, 59, "minute") + " " + check(hour, 0, 23, "hour") + " * * *";
	}

	/**
	 * Every week on {@code day} at {@code hour:minute}.
	 * @return for example {@code "0 0 9 * * MON"}
	 */
	public static String weekly(DayOfWeek day, int hour, int minute) {
		String name = day.name().substring(0, 3).toUpperCase(Locale.ROOT);
		return "0 " + check(minute, 0, 59, "minute") + " " + check(hour, 0, 23, "hour") + " * * " + name;
	}

	/**
	 * Every month on day {@code day} at {@code hour:minute}; a month without that day (the 31st of
	 * April) has no tick.
	 * @return for example {@code "0 0 6 1 * *"}
	 */
	public static String monthly(int day, int hour, int minute) {
		return "0 " + check(minute, 0, 59, "minute") + " " + check(hour, 0, 23, "hour") + " " + check(day, 1, 31, "day")
				+ " * *";
	}

	private static int check(int value, int min, int max, String what) {
		if (value < min || value > max) {
			throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", was " + value);
		}
		return value;
	}

}
