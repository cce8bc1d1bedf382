package io.worker.runtime;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * A store's delivery whose completion also takes the worker's next task, in the same round trip
 * where the store can ({@link Delivery#completeAndTakeNext}): the executor settles through it as
 * through any delivery, and the worker then runs {@link #taken()} in the slot it holds. Every other
 * call goes to the delivery as it is.
 */
final class TakeNextDelivery implements Delivery {

	private final Delivery delivery;

	private final Supplier<@Nullable List<String>> nextQueues;

	private @Nullable Delivery taken;

	/**
	 * @param nextQueues the queues the worker may take its next task from at the moment it
	 *     completes, in the order of that pick; {@code null} when it may not take one itself
	 */
	TakeNextDelivery(Delivery delivery, Supplier<@Nullable List<String>> nextQueues) {
		this.delivery = delivery;
		this.nextQueues = nextQueues;
	}

	/** The next task taken with the completion, leased and not started, or {@code null}. */
	@Nullable Delivery taken() {
		return this.taken;
	}

	@Override
	public TaskMessage message() {
		return this.delivery.message();
	}

	@Override
	public Instant readyAt() {
		return this.delivery.readyAt();
	}

	@Override
	public @Nullable String malformed() {
		return this.delivery.malformed();
	}

	@Override
	public int deliveryCount() {
		return this.delivery.deliveryCount();
	}

	@Override
	public void complete(byte @Nullable [] result) {
		List<String> queues = this.nextQueues.get();
		if (queues == null) {
			this.delivery.complete(result);
		}
		else {
			this.taken = this.delivery.completeAndTakeNext(result, queues);
		}
	}

	@Override
	public @Nullable Delivery completeAndTakeNext(byte @Nullable [] result, List<String> queues) {
		return this.delivery.completeAndTakeNext(result, queues);
	}

	@Override
	public void retry(TaskMessage failed, Instant processAt) {
		this.delivery.retry(failed, processAt);
	}

	@Override
	public void archive(TaskMessage failed) {
		this.delivery.archive(failed);
	}

	@Override
	public void requeue() {
		this.delivery.requeue();
	}

	@Override
	public boolean extendLease() {
		return this.delivery.extendLease();
	}

	@Override
	public void reportProgress(int percent, @Nullable String message) {
		this.delivery.reportProgress(percent, message);
	}

}
