package io.worker.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A backend the runtime pulls tasks from (memory, Redis). The runtime's processor calls
 * {@link #dequeue}; its forwarder, recoverer and janitor call the maintenance methods on their own
 * schedules.
 */
public interface TaskStore extends TaskBackend {

	/**
	 * Take up to {@code max} pending tasks, marking each active under a lease: from the first
	 * non-paused queue of {@code queues} that has tasks, in the order they were made pending, then
	 * from the next queues, waiting up to {@code maxWait} only while every queue is empty. One round
	 * trip to the backend where it can.
	 * @param queues the queues to look in, in order of preference
	 * @param max the most tasks to take, at least 1
	 * @param maxWait how long to wait when every queue is empty
	 * @return the tasks taken, empty when none arrived in time
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	List<Delivery> dequeue(List<String> queues, int max, Duration maxWait) throws InterruptedException;

	/**
	 * Take one pending task, as {@link #dequeue(List, int, Duration)} does.
	 * @param queues the queues to look in, in order of preference
	 * @param maxWait how long to wait when every queue is empty
	 * @return the task, or {@code null} when none arrived in time
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	default @Nullable Delivery dequeue(List<String> queues, Duration maxWait) throws InterruptedException {
		List<Delivery> taken = dequeue(queues, 1, maxWait);
		return taken.isEmpty() ? null : taken.get(0);
	}

	/**
	 * Whether {@link #dequeue} is an in-process call, cheap enough for each worker thread to take its
	 * next task itself, without waiting, as it finishes one. A store over a network returns
	 * {@code false} (the default): its one fetch thread takes tasks for every free slot in one round
	 * trip.
	 * @return whether worker threads may dequeue their next task themselves
	 */
	default boolean dequeuesInProcess() {
		return false;
	}

	/**
	 * Move scheduled and retry tasks that are due to pending.
	 * @return how many moved
	 */
	int forwardDue(Instant now);

	/**
	 * Move active tasks whose lease expired (their worker died) to retry.
	 * @return how many were recovered
	 */
	int recoverExpiredLeases(Instant now);

	/**
	 * Delete completed tasks past their retention and archived tasks past the archive's caps.
	 * @return how many were deleted
	 */
	int deleteExpired(Instant now);

}
