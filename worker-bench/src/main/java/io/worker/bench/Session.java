package io.worker.bench;

import java.util.List;
import java.util.OptionalLong;

/**
 * One run of an in-JVM subject at one concurrency: producers enqueue, then consumers (stopped at
 * first) run each task's handler, which calls the tracker. Closing stops the consumers, letting
 * running tasks finish, and deletes what the session stored in the broker.
 */
public interface Session extends AutoCloseable {

	/** Enqueue one task, returning once the broker holds it. Safe for concurrent use. */
	void enqueue(BenchPayload task) throws Exception;

	/** Enqueue a batch of tasks in as few round trips as the subject allows. */
	void enqueueAll(List<BenchPayload> tasks) throws Exception;

	/** Start the consumers at the session's concurrency. */
	void startConsumers() throws Exception;

	/** The broker's memory in bytes, where it can be read. */
	default OptionalLong brokerMemory() {
		return OptionalLong.empty();
	}

	@Override
	void close() throws Exception;

}
