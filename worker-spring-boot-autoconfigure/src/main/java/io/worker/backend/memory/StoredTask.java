package io.worker.backend.memory;

import java.time.Instant;

import io.worker.TaskState;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * A task held by the in-memory store, with its state. Guarded by the store's lock.
 */
final class StoredTask {

	final long sequence;

	TaskMessage message;

	TaskState state;

	/** When it is due (scheduled, retry) or became pending. */
	Instant readyAt;

	/** Bumped at each dequeue, so a worker that lost its lease cannot settle the task. */
	long deliveryToken;

	@Nullable Instant leaseExpiresAt;

	byte @Nullable [] result;

	@Nullable Integer progress;

	@Nullable String progressMessage;

	/** When it completed or was archived. */
	@Nullable Instant finishedAt;

	/** When a completed task is deleted. */
	@Nullable Instant expiresAt;

	StoredTask(long sequence, TaskMessage message, TaskState state, Instant readyAt) {
		this.sequence = sequence;
		this.message = message;
		this.state = state;
		this.readyAt = readyAt;
	}

	String id() {
		return this.message.id();
	}

}
