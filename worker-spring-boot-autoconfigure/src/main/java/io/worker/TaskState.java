package io.worker;

/**
 * The state a task is in. A task is in exactly one state at any time.
 */
public enum TaskState {

	/** Ready to be processed as soon as a worker is free. */
	PENDING,

	/** Waiting for its process-at time (a delayed task). */
	SCHEDULED,

	/** Being processed by a worker. */
	ACTIVE,

	/** Failed, and waiting for its next attempt. */
	RETRY,

	/** Failed for good (retries used up, not retryable, cancelled): the dead letter state. */
	ARCHIVED,

	/** Processed successfully and kept for its retention period. */
	COMPLETED,

	/** Not stored at all: its type is disabled or Worker is switched off. */
	DISCARDED

}
