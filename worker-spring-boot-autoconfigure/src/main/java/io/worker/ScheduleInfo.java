package io.worker;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A schedule as every instance sees it: its definition and what it last did.
 *
 * @param schedule the definition
 * @param nextFireAt the next tick, or {@code null} when disabled or when the expression has no next tick
 * @param lastFireAt the tick last fired, or {@code null} before the first
 * @param lastTaskId the task the last fire (or manual trigger) enqueued, or {@code null}
 * @param lastOutcome the state of that task when it is still stored, or {@code null} when unknown
 *     (not fired yet, or the task was deleted after it completed)
 * @param history the latest fires, newest first, bounded
 */
public record ScheduleInfo(Schedule schedule, @Nullable Instant nextFireAt, @Nullable Instant lastFireAt,
		@Nullable String lastTaskId, @Nullable TaskState lastOutcome, List<ScheduleFire> history) {

	public ScheduleInfo {
		history = List.copyOf(history);
	}

}
