package io.worker.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.worker.TaskInfo;
import io.worker.TaskInspector;
import org.jspecify.annotations.Nullable;

/**
 * What every backend provides: storing tasks, inspecting them, and carrying cancellations. A
 * backend is also either a {@link TaskStore} (the runtime pulls tasks) or a {@link TaskBroker}
 * (the backend pushes them).
 */
public interface TaskBackend {

	/** A short name for logs and health, such as {@code "redis"}. */
	String name();

	/** The options this backend provides. */
	Set<Capability> capabilities();

	/**
	 * Store tasks, each atomically with its unique lock and id check.
	 * @param requests the tasks and when each is due
	 * @return one result per request, in order: a {@link TaskInfo} or the exception that refused it
	 *     ({@link io.worker.TaskConflictException}, {@link io.worker.TaskEnqueueException})
	 */
	List<EnqueueResult> enqueue(List<EnqueueRequest> requests);

	/** The operations API over this backend. */
	TaskInspector inspector();

	/**
	 * Be told of cancellations requested anywhere (this process or another sharing the backend).
	 * @param listener called with the id of a task to cancel
	 */
	void onCancel(Consumer<String> listener);

	/**
	 * Check that the backend is reachable.
	 * @throws RuntimeException when it is not
	 */
	void ping();

	/**
	 * The list of live worker servers this backend keeps, if it keeps one.
	 * @return the registry, or {@code null} when the backend has none (then no worker is listed)
	 */
	default @Nullable WorkerRegistry workerRegistry() {
		return null;
	}

	/**
	 * A limiter that holds queue rate limits across every instance sharing this backend.
	 * @param limits the rate limit of each limited queue
	 * @return the limiter, or {@code null} when the backend has none and the runtime counts per process
	 */
	default @Nullable QueueRateLimiter sharedRateLimiter(Map<String, RateLimit> limits) {
		return null;
	}

	/**
	 * Where this backend keeps recurring tasks, so that each tick fires once across every instance.
	 * @return the store, or {@code null} when the backend cannot keep schedules (then declaring one
	 *     fails at startup)
	 */
	default @Nullable ScheduleStore scheduleStore() {
		return null;
	}

}
