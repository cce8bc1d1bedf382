package io.worker.runtime;

import io.worker.WorkerException;

/**
 * A payload that cannot be read into its handler's parameter type. Retrying cannot help, so the
 * task is archived at once with this message.
 */
public class PayloadBindingException extends WorkerException {

	public PayloadBindingException(String message, Throwable cause) {
		super(message, cause);
	}

}
