package io.worker.backend.kafka;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * One record offered to the runtime. Each settlement first publishes what it must (a retry to the
 * delay tiers, an archived copy to the dead letter, a handed-back copy to the queue) and waits for
 * the acknowledgement, then marks the offset settled; the poll thread commits it later. A retry or
 * hand-back that Kafka refuses as too large is archived instead
 * ({@link KafkaArchive#republishOrArchive}), since it would be refused every time. Once the
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

	private final @Nullable Garbage garbage;

	private volatile boolean revoked;

	KafkaDelivery(TopicPartition partition, long offset, TaskMessage message, Map<String, String> headers,
			int deliveryCount, PartitionWindow window, Settlements settlements) {
		this(partition, offset, message, headers, deliveryCount, window, settlements, null);
	}

	/**
	 * A delivery of a record that is not a task: {@code message} is a placeholder naming it, and
	 * the runtime archives it at once as {@link #malformed()}.
	 */
	KafkaDelivery(TopicPartition partition, long offset, TaskMessage message, Map<String, String> headers,
			int deliveryCount, PartitionWindow window, Settlements settlements, @Nullable Garbage garbage) {
		this.garbage = garbage;
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
	public @Nullable String malformed() {
		return (this.garbage != null) ? this.garbage.reason() : null;
	}

	@Override
	public void complete(byte @Nullable [] result) {
		settle(() -> {
		});
	}

	@Override
	public void retry(TaskMessage failed, Instant processAt) {
		if (this.garbage != null) {
			archive(failed);
			return;
		}
		settle(() -> this.settlements.archive()
			.republishOrArchive(failed, origin(), "the retry",
					() -> this.settlements.publisher().publish(failed, processAt, 1)));
	}

	/** A task goes to its archive as a task; garbage goes there as it came, with the reason. */
	@Override
	public void archive(TaskMessage failed) {
		Garbage garbage = this.garbage;
		if (garbage != null) {
			String reason = (failed.lastError() != null) ? failed.lastError() : garbage.reason();
			settle(() -> this.settlements.archive().publishGarbage(this.window.queue(), garbage.record(), reason));
			return;
		}
		settle(() -> this.settlements.archive().publish(failed, origin()));
	}

	/** Garbage handed back would only be read as garbage again: it is archived instead. */
	@Override
	public void requeue() {
		if (this.garbage != null) {
			archive(this.message);
			return;
		}
		settle(() -> this.settlements.archive()
			.republishOrArchive(this.message, origin(), "the hand-back",
					() -> this.settlements.publisher().publish(this.message, null, this.deliveryCount)));
	}

	@Override
	public boolean extendLease() {
		return !this.revoked;
	}

	/** The record and the reason when this delivery is not a task, else {@code null}. */
	@Nullable Garbage garbage() {
		return this.garbage;
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

	/** A record that is not a task, and why. */
	record Garbage(ConsumerRecord<String, byte[]> record, String reason) {
	}

	/** What a delivery settles through: the consumer that offered it and the topics it publishes to. */
	interface Settlements {

		KafkaPublisher publisher();

		KafkaArchive archive();

		/** The delivery's offset is settled: it may be committed. */
		void settled(KafkaDelivery delivery);

	}

}
