package io.worker.spi;

/**
 * Enforces {@code worker.queues.<name>.rate-limit}: at most N tasks of a queue started per period.
 */
public interface QueueRateLimiter {

	/** Whether the queue may start another task now. */
	boolean hasPermit(String queue);

	/** Count one task started from the queue. */
	void recordStart(String queue);

}
