package io.worker.runtime;

/**
 * Why the runtime interrupted a running handler.
 */
enum StopReason {

	/** The attempt ran longer than its timeout: it fails and may be retried. */
	TIMEOUT,

	/** The task's deadline passed: it fails for good. */
	DEADLINE,

	/** Someone cancelled the task: it fails for good. */
	CANCELLED,

	/** The server is stopping and the grace period is over: the task is handed back. */
	SHUTDOWN,

	/** The worker lost its lease: the task may run elsewhere and is not settled here. */
	LEASE_LOST

}
