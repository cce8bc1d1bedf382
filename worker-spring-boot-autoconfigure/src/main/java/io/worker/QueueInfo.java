package io.worker;

import java.util.Map;

/**
 * A queue and how many tasks it holds in each state.
 *
 * @param name the queue's name
 * @param paused whether the queue is paused (its tasks are not processed)
 * @param sizes the number of tasks per state; every state but {@link TaskState#DISCARDED} is present
 * @param processedToday tasks processed today (UTC), successes and failures
 * @param failedToday tasks whose attempt failed today (UTC)
 */
public record QueueInfo(String name, boolean paused, Map<TaskState, Long> sizes, long processedToday,
		long failedToday) {

	/** The number of tasks in the given state. */
	public long size(TaskState state) {
		return this.sizes.getOrDefault(state, 0L);
	}

	/** The number of tasks not yet finished: pending, scheduled, active and waiting for a retry. */
	public long backlog() {
		return size(TaskState.PENDING) + size(TaskState.SCHEDULED) + size(TaskState.ACTIVE) + size(TaskState.RETRY);
	}

}
