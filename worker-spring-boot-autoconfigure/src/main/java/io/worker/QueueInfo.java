package io.worker;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A queue and how many tasks it holds in each state.
 * <p>
 * A store (memory, Redis) knows every state. A push broker may not: RabbitMQ cannot count the
 * tasks waiting in its delay structure, for example. A state the backend cannot count is absent
 * from {@link #sizes()}, so that "unknown" is never reported as "none": check
 * {@link #knows(TaskState)} before reading a size as a fact.
 *
 * @param name the queue's name
 * @param paused whether the queue is paused (its tasks are not processed); {@code false} on a
 * backend that cannot pause
 * @param sizes the number of tasks per state the backend can count; never
 * {@link TaskState#DISCARDED}
 * @param processedToday tasks processed today (UTC), successes and failures; 0 on a backend
 * without daily counters
 * @param failedToday tasks whose attempt failed today (UTC); 0 on a backend without daily counters
 */
public record QueueInfo(String name, boolean paused, Map<TaskState, Long> sizes, long processedToday,
		long failedToday) {

	public QueueInfo {
		// in state order, so that JSON views list them alike
		sizes = sizes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(sizes));
	}

	/** Whether the backend counts the tasks of this queue in the given state. */
	public boolean knows(TaskState state) {
		return this.sizes.containsKey(state);
	}

	/** The number of tasks in the given state; 0 for a state the backend does not know (see {@link #knows}). */
	public long size(TaskState state) {
		return this.sizes.getOrDefault(state, 0L);
	}

	/**
	 * The number of tasks not yet finished: pending, scheduled, active and waiting for a retry. A
	 * state the backend does not know counts as 0, so the backlog is then a lower bound.
	 */
	public long backlog() {
		return size(TaskState.PENDING) + size(TaskState.SCHEDULED) + size(TaskState.ACTIVE) + size(TaskState.RETRY);
	}

}
