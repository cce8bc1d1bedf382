package io.worker.spi;

/**
 * What a backend can do beyond storing and delivering tasks, so that what it lacks is refused
 * clearly rather than half done. Each backend declares its set in
 * {@link TaskBackend#capabilities()}; the memory and Redis stores have them all.
 * <p>
 * The client refuses at enqueue, with a {@link io.worker.TaskEnqueueException}, a task asking for
 * an option its backend lacks ({@link #DELAYED}, {@link #UNIQUE}, {@link #EXPLICIT_IDS},
 * {@link #RETENTION}); the {@link io.worker.TaskInspector} throws
 * {@link io.worker.UnsupportedOperationByBackendException} for an operation it lacks. Both name the
 * backend and the capability.
 */
public enum Capability {

	/** Tasks processed later ({@code processIn}, {@code processAt}) and retries with backoff. */
	DELAYED,

	/** Unique tasks ({@code Task.unique}): a second task with the same type, queue and payload is refused. */
	UNIQUE,

	/** Explicit ids ({@code Task.id}) enforced: a second task with the same id in the queue is refused. */
	EXPLICIT_IDS,

	/** Listing the tasks of a queue in any state ({@code TaskInspector.tasks}). */
	LIST_TASKS,

	/**
	 * Listing the archived tasks of a queue ({@code TaskInspector.tasks} with
	 * {@code ARCHIVED}), and running them again; implied by {@link #LIST_TASKS}. A broker whose
	 * archive is a stream or a dead-letter topic can offer it alone.
	 */
	LIST_ARCHIVED,

	/** Finding one task by its id ({@code TaskInspector.task}). */
	FIND_TASK,

	/** Archiving or deleting a task that waits to run: pending, scheduled or retry. */
	MANAGE_WAITING,

	/** Running a scheduled or retry task now ({@code TaskInspector.runTask} on such a task). */
	RUN_SCHEDULED,

	/** Pausing and resuming a queue in every process that shares the backend. */
	PAUSE,

	/** Progress, results and completed tasks kept for a retention period ({@code Task.retention}). */
	RETENTION,

	/** The tasks processed and failed per queue today ({@code QueueInfo.processedToday}, {@code failedToday}). */
	DAILY_COUNTERS,

	/** Queue rate limits that hold across every process sharing the backend, not per process. */
	SHARED_RATE_LIMIT

}
