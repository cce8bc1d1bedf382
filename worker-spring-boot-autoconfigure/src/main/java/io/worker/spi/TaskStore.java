package io.worker.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.worker.WorkerInfo;
import org.jspecify.annotations.Nullable;

/**
 * A backend the runtime pulls tasks from (memory, Redis). The runtime's processor calls
 * {@link #dequeue}; its forwarder, recoverer, janitor and heartbeater call the maintenance methods
 * on their own schedules.
 */
public interface TaskStore extends TaskBackend {

	/**
	 * Take the first pending task from the first non-paused queue of {@code queues} that has one,
	 * marking it active under a lease, waiting up to {@code maxWait} for one to arrive.
	 * @param queues the queues to look in, in order of preference
	 * @param maxWait how long to wait when every queue is empty
	 * @return the task, or {@code null} when none arrived in time
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	@Nullable Delivery dequeue(List<String> queues, Duration maxWait) throws InterruptedException;

	/**
	 * Take up to {@code max} pending tasks, as {@link #dequeue(List, Duration)} takes one: from the
	 * first non-paused queue of {@code queues} that has tasks, then from the next ones, waiting up to
	 * {@code maxWait} only while every queue is empty. Stores override it to take a batch in one round
	 * trip; this default takes one task at a time.
	 * @param queues the queues to look in, in order of preference
	 * @param max the most tasks to take, at least 1
	 * @param maxWait how long to wait when every queue is empty
	 * @return the tasks taken, empty when none arrived in time
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	default List<Delivery> dequeue(List<String> queues, int max, Duration maxWait) throws InterruptedException {
		Delivery first = dequeue(queues, maxWait);
		if (first == null) {
			return List.of();
		}
		List<Delivery> taken = new ArrayList<>(max);
		taken.add(first);
		while (taken.size() < max) {
			Delivery next = dequeue(queues, Duration.ZERO);
			if (next == null) {
				break;
			}
			taken.add(next);
		}
		return taken;
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

	/**
	 * Register or refresh this server in the list of live workers.
	 * @param worker this server
	 * @param ttl how long the registration lives without another heartbeat
	 */
	void heartbeat(WorkerInfo worker, Duration ttl);

	/** Remove this server from the list of live workers (at shutdown). */
	void unregister(String workerId);

	/**
	 * A limiter that holds queue rate limits across every instance sharing this store.
	 * @param limits the rate limit of each limited queue
	 * @return the limiter, or {@code null} when the store has none and the runtime counts per process
	 */
	default @Nullable QueueRateLimiter sharedRateLimiter(Map<String, RateLimit> limits) {
		return null;
	}

}
