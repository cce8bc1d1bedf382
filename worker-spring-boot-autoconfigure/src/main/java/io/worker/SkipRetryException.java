package io.worker;

/**
 * Thrown by a handler to fail a task for good: it is archived at once, without retry, whatever
 * retries it has left.
 */
public class SkipRetryException extends WorkerException {

	public SkipRetryException(String message) {
		super(message);
	}

	public SkipRetryException(String message, Throwable cause) {
		super(message, cause);
	}

}
