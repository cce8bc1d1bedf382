package io.worker.spi;

import io.worker.WorkerException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link TaskEnvelope} for a task that cannot be carried or read: a required header is
 * missing, a header's value is invalid, or the headers are larger than the envelope allows. A
 * broker that receives such a message can neither run nor retry it: it dead-letters it as it is.
 */
public class MalformedTaskException extends WorkerException {

	private final @Nullable String header;

	/**
	 * @param header the header at fault, or {@code null} when the fault is not one header's
	 * @param message what is wrong
	 */
	public MalformedTaskException(@Nullable String header, String message) {
		super(message);
		this.header = header;
	}

	/** The name of the header at fault, or {@code null} when the fault is not one header's. */
	public @Nullable String getHeader() {
		return this.header;
	}

}
