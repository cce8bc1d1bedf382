package io.worker.backend.memory;

import java.time.Instant;

import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * A task handed out by the {@link InMemoryTaskStore}; settling goes back to the store, which
 * ignores it when the delivery's token is stale.
 */
final class InMemoryDelivery implements Delivery {

	private final InMemoryTaskStore store;

	private final TaskMessage message;

	private final Instant readyAt;

	private final long token;

	InMemoryDelivery(InMemoryTaskStore store, TaskMessage message, Instant readyAt, long token) {
		this.store = store;
		this.message = message;
		this.readyAt = readyAt;
		this.token = token;
	}

	@Override
	public TaskMessage message() {
		return this.message;
	}

	@Override
	public Instant readyAt() {
		return this.readyAt;
	}

	@Override
	public void complete(byte @Nullable [] result) {
		this.store.complete(this.message, this.token, result);
	}

	@Override
	public void retry(TaskMessage failed, Instant processAt) {
		this.store.retry(failed, this.token, processAt);
	}

	@Override
	public void archive(TaskMessage failed) {
		this.store.archive(failed, this.token);
	}

	@Override
	public void requeue() {
		this.store.requeue(this.message, this.token);
	}

	@Override
	public boolean extendLease() {
		return this.store.extendLease(this.message, this.token);
	}

	@Override
	public void reportProgress(int percent, @Nullable String progressMessage) {
		this.store.reportProgress(this.message, this.token, percent, progressMessage);
	}

}
