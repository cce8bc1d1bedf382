package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * Told what the scheduler of this process decided for each tick it claimed: the seam for metrics.
 * Each tick is told to exactly one process among those sharing the backend.
 */
public interface ScheduleEventListener {

	/** Why ticks did not fire. */
	enum SkipReason {

		/** Missed (no scheduler claimed them on time) and outside the misfire policy. */
		MISFIRE,

		/** The previous tick's task had not finished, and the schedule does not allow overlap. */
		OVERLAP

	}

	/**
	 * A tick enqueued its task.
	 * @param schedule the schedule's name
	 * @param tick the tick's fire instant
	 * @param lateness from the fire instant to the enqueue
	 * @param misfired whether it fired late, under the misfire policy
	 */
	default void fired(String schedule, Instant tick, Duration lateness, boolean misfired) {
	}

	/**
	 * Ticks were skipped.
	 * @param schedule the schedule's name
	 * @param reason why
	 * @param ticks how many
	 */
	default void skipped(String schedule, SkipReason reason, long ticks) {
	}

}
