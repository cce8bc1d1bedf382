package io.worker.runtime;

import java.util.Map;

import io.worker.Task;

/**
 * Adds headers to every task at enqueue, such as the trace context of the enqueuing code.
 */
@FunctionalInterface
public interface TaskHeadersContributor {

	/**
	 * Add headers for a task about to be enqueued.
	 * @param task the task
	 * @param headers its headers so far, to add to
	 */
	void contribute(Task task, Map<String, String> headers);

}
