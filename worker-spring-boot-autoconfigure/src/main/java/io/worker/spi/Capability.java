package io.worker.spi;

/**
 * Options a backend may or may not provide. The client refuses, with a
 * {@link io.worker.TaskEnqueueException}, a task that asks for one its backend lacks.
 */
public enum Capability {

	/** Tasks processed later ({@code processIn}, {@code processAt}) and retries with backoff. */
	DELAYED,

	/** Unique tasks and explicit ids enforced by the backend. */
	UNIQUE,

	/** Completed tasks kept with their result for a retention period. */
	RETENTION,

	/** The {@link io.worker.TaskInspector} operations. */
	INSPECTION

}
