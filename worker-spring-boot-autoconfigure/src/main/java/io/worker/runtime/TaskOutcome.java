package io.worker.runtime;

/**
 * How one attempt of a task ended, as reported to {@link TaskEventListener}s.
 */
public enum TaskOutcome {

	/** The handler returned: the task completed. */
	SUCCESS,

	/** The attempt failed and the task will run again. */
	RETRIED,

	/** The task failed for good and went to the archive. */
	ARCHIVED,

	/** The task was handed back unprocessed, because the server is stopping. */
	REQUEUED,

	/** The task was not settled here: its lease was lost and it may run elsewhere. */
	ABANDONED

}
