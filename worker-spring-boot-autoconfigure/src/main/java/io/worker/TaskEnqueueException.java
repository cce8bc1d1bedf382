package io.worker;

/**
 * Thrown at enqueue when the task cannot be stored: the backend is unreachable, the payload cannot
 * be written as JSON, or the backend cannot provide an option the task asks for. Nothing was
 * enqueued.
 */
public class TaskEnqueueException extends WorkerException {

	public TaskEnqueueException(String message) {
		super(message);
	}

	public TaskEnqueueException(String message, Throwable cause) {
		super(message, cause);
	}

}
