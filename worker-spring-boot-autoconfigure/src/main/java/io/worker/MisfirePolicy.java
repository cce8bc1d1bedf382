package io.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * What a schedule does with ticks that no instance fired on time (every scheduler was down, or
 * the schedule's claim was lost): skip them, fire the latest once if it is recent enough, or catch
 * up a bounded number of them.
 *
 * @param kind the policy
 * @param grace for {@link Kind#FIRE_ONCE}, how old the latest missed tick may be
 * @param maxTicks for {@link Kind#CATCH_UP}, the most missed ticks fired, the latest ones
 */
public record MisfirePolicy(Kind kind, Duration grace, int maxTicks) {

	/** The policies. */
	public enum Kind {

		/** Missed ticks are skipped. */
		SKIP,

		/** The latest missed tick fires once if it is within the grace period; the others are skipped. */
		FIRE_ONCE,

		/** The latest {@code maxTicks} missed ticks fire, oldest first; the others are skipped. */
		CATCH_UP

	}

	public MisfirePolicy {
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(grace, "grace must not be null");
		if (grace.isNegative()) {
			throw new IllegalArgumentException("misfire grace must not be negative, was " + grace);
		}
		if (maxTicks < 0) {
			throw new IllegalArgumentException("misfire max-ticks must not be negative, was " + maxTicks);
		}
	}

	/** Skip missed ticks: the default. */
	public static MisfirePolicy skip() {
		return new MisfirePolicy(Kind.SKIP, Duration.ZERO, 0);
	}

	/** Fire the latest missed tick once if it is at most {@code grace} old. */
	public static MisfirePolicy fireOnce(Duration grace) {
		return new MisfirePolicy(Kind.FIRE_ONCE, grace, 1);
	}

	/** Fire at most the latest {@code maxTicks} missed ticks. */
	public static MisfirePolicy catchUp(int maxTicks) {
		return new MisfirePolicy(Kind.CATCH_UP, Duration.ZERO, maxTicks);
	}

}
