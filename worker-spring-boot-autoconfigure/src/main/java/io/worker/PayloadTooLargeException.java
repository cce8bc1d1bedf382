package io.worker;

/**
 * Thrown at enqueue when a payload, written as JSON, is larger than
 * {@code worker.client.max-payload-size}. Nothing was enqueued.
 */
public class PayloadTooLargeException extends WorkerException {

	public PayloadTooLargeException(String message) {
		super(message);
	}

}
