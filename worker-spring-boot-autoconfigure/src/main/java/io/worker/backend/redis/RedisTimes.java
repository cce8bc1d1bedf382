package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How the task hash holds times. Epoch nanoseconds for the instants only the codec reads: exact,
 * and an integer, which Redis stores in 8 bytes. Epoch milliseconds for the instants the scripts
 * write too, and milliseconds for durations, with a fraction ({@code .000123}, in millionths) only
 * when they have a sub-millisecond part. All come back exactly and read without date parsing;
 * ISO-8601 text (what earlier versions wrote, and what cannot be held in a long) is read too.
 */
final class RedisTimes {

	private RedisTimes() {
	}

	/** An instant as the scripts write it: epoch milliseconds. */
	static Instant epochMillis(String value) {
		return Instant.ofEpochMilli(Long.parseLong(value));
	}

	/** An instant as epoch milliseconds, or ISO-8601 text when it is beyond a long of them. */
	static @Nullable String millis(@Nullable Instant instant) {
		if (instant == null) {
			return null;
		}
		try {
			long millis = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1000L), instant.getNano() / 1_000_000);
			return withFraction(millis, instant.getNano() % 1_000_000);
		}
		catch (ArithmeticException ex) {
			return instant.toString();
		}
	}

	/**
	 * An instant as epoch nanoseconds, or ISO-8601 text when it is beyond a long of them (before 1677
	 * or after 2262). Exact, and an integer, which Redis keeps in 8 bytes where milliseconds with a
	 * fraction are 20 characters of text.
	 */
	static @Nullable String nanos(@Nullable Instant instant) {
		if (instant == null) {
			return null;
		}
		try {
			return Long.toString(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
					instant.getNano()));
		}
		catch (ArithmeticException ex) {
			return instant.toString();
		}
	}

	/** An instant written by {@link #nanos(Instant)}. */
	static Instant epochNanos(String value) {
		if (value.indexOf('T') >= 0) {
			return Instant.parse(value);
		}
		long nanos = Long.parseLong(value);
		return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
	}

	/** A duration as milliseconds, or ISO-8601 text when it is beyond a long of them. */
	static @Nullable String millis(@Nullable Duration duration) {
		if (duration == null) {
			return null;
		}
		try {
			long millis = Math.addExact(Math.multiplyExact(duration.getSeconds(), 1000L), duration.getNano() / 1_000_000);
			return withFraction(millis, duration.getNano() % 1_000_000);
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
	}

	private static String withFraction(long millis, int nanos) {
		if (nanos == 0) {
			return Long.toString(millis);
		}
		String fraction = Integer.toString(1_000_000 + nanos).substring(1);
		return millis + "." + fraction;
	}

	/** An instant written by {@link #millis(Instant)}, or as ISO-8601 text. */
	static Instant instant(String value) {
		if (value.indexOf('T') >= 0) {
			return Instant.parse(value);
		}
		int dot = value.indexOf('.');
		if (dot < 0) {
			return Instant.ofEpochMilli(Long.parseLong(value));
		}
		return Instant.ofEpochMilli(Long.parseLong(value.substring(0, dot))).plusNanos(fraction(value, dot));
	}

	/** A duration written by {@link #millis(Duration)}, or as ISO-8601 text. */
	static Duration duration(String value) {
		if (value.indexOf('P') >= 0) {
			return Duration.parse(value);
		}
		int dot = value.indexOf('.');
		if (dot < 0) {
			return Duration.ofMillis(Long.parseLong(value));
		}
		return Duration.ofMillis(Long.parseLong(value.substring(0, dot))).plusNanos(fraction(value, dot));
	}

	private static long fraction(String value, int dot) {
		String fraction = value.substring(dot + 1);
		if (fraction.length() != 6 || !fraction.chars().allMatch(Character::isDigit)) {
			throw new IllegalArgumentException("Not milliseconds with a fraction of six digits: '" + value + "'");
		}
		return Long.parseLong(fraction);
	}

}
