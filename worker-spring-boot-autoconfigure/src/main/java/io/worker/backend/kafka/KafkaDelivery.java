package io.worker.backend.kafka;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * One record offered to the runtime. Each settlement first publishes what it must (a retry to the
 * delay tiers, an archived copy to the dead letter, a handed-back copy to the queue) and waits for
 * the acknowledgement, then marks the offset settled; the poll thread commits it later. Once the
 * record's partition was revoked or its consumer killed, it can no longer be settled.
 */
final class KafkaDelivery implements Delivery {

	private final TopicPartition partition;

	private final long offset;

	private final TaskMessage message;

	private final Map<String, String> headers;

	private final int deliveryCount;

	private final PartitionWindow window;

	private final Settlements settlements;

	private final AtomicBoolean claimed = new AtomicBoolean();

	private volatile boolean revoked;

	KafkaDelivery(TopicPartition partition, long offset, TaskMessage message, Map<String, String> headers,
			int deliveryCount, PartitionWindow window, Settlements settlements) {
		this.partition = partition;
		this.offset = offset;
		this.message = message;
		this.headers = headers;
		this.deliveryCount = deliveryCount;
		this.window = window;
		this.settlements = settlements;
	}

	@Override
	public TaskMessage message() {
		return this.message;
	}

	@Override
	public Instant readyAt() {
		Instant due = TransportHeaders.instant(this.headers, TransportHeaders.DUE);
		return (due != null) ? due : this.message.enqueuedAt();
	}

	@Override
	public int deliveryCount() {
		return this.deliveryCount;
	}

	@Override
	public void complete(byte @Nullable [] result) {
		settle(() -> {
		});
	}

	@Override
	public void retry(TaskMessage failed, Instant processAt) {
		settle(() -> this.settlements.publisher().publish(failed, processAt, 1));
	}

	@Override
	public void archive(TaskMessage failed) {
		settle(() -> this.settlements.archive().publish(failed, origin()));
	}

	@Override
	public void requeue() {
		settle(() -> this.settlements.publisher().publish(this.message, null, this.deliveryCount));
	}

	@Override
	public boolean extendLease() {
		return !this.revoked;
	}

	TopicPartition partition() {
		return this.partition;
	}

	long offset() {
		return this.offset;
	}

	PartitionWindow window() {
		return this.window;
	}

	String origin() {
		return this.partition.topic() + "/" + this.partition.partition() + "/" + this.offset;
	}

	boolean revoked() {
		return this.revoked;
	}

	/** The partition was revoked or the consumer killed: the record will be delivered elsewhere. */
	void revoke() {
		this.revoked = true;
	}

	/** Take the right to settle this delivery; {@code false} when it was taken already. */
	boolean claim() {
		return this.claimed.compareAndSet(false, true);
	}

	/** Give the right to settle back after a settlement that failed. */
	void unclaim() {
		this.claimed.set(false);
	}

	private void settle(Runnable publish) {
		if (this.revoked) {
			throw new IllegalStateException("Partition " + this.partition + " was revoked: the delivery of task "
					+ this.message.id() + " at offset " + this.offset + " can no longer be settled");
		}
		if (!claim()) {
			throw new IllegalStateException("The delivery of task " + this.message.id() + " was settled already");
		}
		try {
			publish.run();
		}
		catch (RuntimeException ex) {
			unclaim();
			throw ex;
		}
		this.settlements.settled(this);
	}

	/** What a delivery settles through: the consumer that offered it and the topics it publishes to. */
	interface Settlements {

		KafkaPublisher publisher();

		KafkaArchive archive();

		/** The delivery's offset is settled: it may be committed. */
		void settled(KafkaDelivery delivery);

	}

}
