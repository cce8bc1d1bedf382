package io.worker.runtime;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next attempt of a failed task.
 *
 * @param strategy how the delay grows with each failure
 * @param initialDelay the delay after the first failure
 * @param multiplier the growth factor of the exponential strategy
 * @param maxDelay the longest delay
 * @param jitter the fraction of the delay added or removed at random, from 0 to 1
 */
public record Backoff(Strategy strategy, Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {

	/** A backoff of one second doubling up to ten minutes, with 20% jitter. */
	public static final Backoff DEFAULT = new Backoff(Strategy.EXPONENTIAL, Duration.ofSeconds(1), 2.0,
			Duration.ofMinutes(10), 0.2);

	public Backoff {
		if (initialDelay.isNegative() || maxDelay.isNegative()) {
			throw new IllegalArgumentException("Backoff delays must not be negative");
		}
		if (multiplier < 1.0) {
			throw new IllegalArgumentException("Backoff multiplier must be at least 1, was " + multiplier);
		}
		if (jitter < 0.0 || jitter > 1.0) {
			throw new IllegalArgumentException("Backoff jitter must be between 0 and 1, was " + jitter);
		}
	}

	/**
	 * The delay before the next attempt.
	 * @param failures how many attempts have failed, counting the one that just did (at least 1)
	 * @return the delay, jitter applied, never above {@link #maxDelay()}
	 */
	public Duration delay(int failures) {
		int n = Math.max(1, failures);
		double base = switch (this.strategy) {
			case FIXED -> this.initialDelay.toMillis();
			case LINEAR -> (double) this.initialDelay.toMillis() * n;
			case EXPONENTIAL -> this.initialDelay.toMillis() * Math.pow(this.multiplier, n - 1);
		};
		double capped = Math.min(base, this.maxDelay.toMillis());
		if (this.jitter > 0) {
			capped += capped * this.jitter * ThreadLocalRandom.current().nextDouble(-1.0, 1.0);
		}
		return Duration.ofMillis(Math.round(Math.min(Math.max(capped, 0), this.maxDelay.toMillis())));
	}

	/** How the delay grows with each failure. */
	public enum Strategy {

		/** {@code initialDelay * multiplier^(failures - 1)}. */
		EXPONENTIAL,

		/** {@code initialDelay * failures}. */
		LINEAR,

		/** Always {@code initialDelay}. */
		FIXED

	}

}
