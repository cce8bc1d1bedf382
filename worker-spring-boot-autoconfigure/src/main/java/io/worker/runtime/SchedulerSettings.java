package io.worker.runtime;

import java.time.Duration;

/**
 * How the recurring task scheduler runs.
 *
 * @param interval how often it looks for due ticks
 * @param misfireThreshold how late a tick may still fire as on time; older ones are misfires, left
 *     to the schedule's misfire policy
 * @param historySize how many fires each schedule's history keeps
 */
public record SchedulerSettings(Duration interval, Duration misfireThreshold, int historySize) {

	public SchedulerSettings {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("scheduler interval must be positive, was " + interval);
		}
		if (misfireThreshold.compareTo(interval) < 0) {
			throw new IllegalArgumentException("misfire threshold must be at least the interval, was " + misfireThreshold);
		}
		if (historySize < 1) {
			throw new IllegalArgumentException("history size must be at least 1, was " + historySize);
		}
	}

	/** How long a tick's claim lives: it must end before the tick is a misfire, so that a tick whose
	 * claimant died before enqueueing is fired by another instance. */
	Duration claimTtl() {
		return this.misfireThreshold.dividedBy(2);
	}

}
