package io.worker.backend.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.worker.backend.kafka.KafkaTaskSender.KafkaSendException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves delayed records on when they leave their tier: to their queue topic once due, else to the
 * next tier ({@link DelayTiers}). It consumes the tier topics in a group of its own; a partition
 * whose head is not due yet is paused and sought back to the head until then, so a tier never
 * lets a record out early and never blocks the thread. Offsets are committed only after the
 * forwarded copies were acknowledged (at least once: a crash in between forwards a record twice).
 * A copy Kafka refuses as too large (a queue topic with a smaller {@code max.message.bytes} than
 * the tier that took it) would be refused every time: its task is archived instead.
 */
final class KafkaDelayForwarder {

	private static final Logger logger = LoggerFactory.getLogger(KafkaDelayForwarder.class);

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

	private final Supplier<Consumer<String, byte[]>> consumers;

	private final List<String> tierTopics;

	private final DelayTiers tiers;

	private final KafkaTaskSender sender;

	private final Duration sendTimeout;

	private final Clock clock;

	private final BiConsumer<ConsumerRecord<String, byte[]>, RuntimeException> refused;

	private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * @param refused archives the task of a tier record whose forwarded copy Kafka refused as too
	 * large, with the refusal, and waits for the acknowledgement
	 */
	KafkaDelayForwarder(Supplier<Consumer<String, byte[]>> consumers, DelayTiers tiers, KafkaTaskSender sender,
			Duration sendTimeout, Clock clock, BiConsumer<ConsumerRecord<String, byte[]>, RuntimeException> refused) {
		this.consumers = consumers;
		this.tierTopics = tiers.topics();
		this.tiers = tiers;
		this.sender = sender;
		this.sendTimeout = sendTimeout;
		this.clock = clock;
		this.refused = refused;
		this.thread = new Thread(this::run, "worker-kafka-forwarder");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	void stop() {
		this.running = false;
		try {
			this.thread.join(this.sendTimeout.toMillis() * 2);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void run() {
		while (this.running) {
			try (Consumer<String, byte[]> consumer = this.consumers.get()) {
				consumer.subscribe(this.tierTopics, new Rebalances());
				while (this.running) {
					resumeDue(consumer);
					forward(consumer, consumer.poll(POLL_TIMEOUT));
				}
			}
			catch (KafkaException ex) {
				logger.warn("Kafka delay forwarder failed; starting a new consumer", ex);
				this.pausedUntil.clear();
			}
		}
	}

	private void resumeDue(Consumer<String, byte[]> consumer) {
		Instant now = this.clock.instant();
		List<TopicPartition> due = new ArrayList<>();
		this.pausedUntil.forEach((partition, until) -> {
			if (!until.isAfter(now)) {
				due.add(partition);
			}
		});
		due.forEach(this.pausedUntil::remove);
		due.retainAll(consumer.assignment());
		consumer.resume(due);
	}

	private void forward(Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
		Map<TopicPartition, Long> firstOffsets = new HashMap<>();
		Map<TopicPartition, OffsetAndMetadata> forwarded = new HashMap<>();
		List<Forward> sends = new ArrayList<>();
		for (TopicPartition partition : records.partitions()) {
			for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
				firstOffsets.putIfAbsent(partition, record.offset());
				Map<String, String> headers = KafkaRecordCodec.fromRecordHeaders(record.headers());
				Instant now = this.clock.instant();
				Instant exit = TransportHeaders.instant(headers, TransportHeaders.TIER_EXIT);
				if (exit != null && exit.isAfter(now)) {
					// the head of this partition is not due: wait for it without reading further
					consumer.seek(partition, record.offset());
					consumer.pause(List.of(partition));
					this.pausedUntil.put(partition, exit);
					break;
				}
				String target = headers.get(TransportHeaders.TARGET);
				Instant due = TransportHeaders.instant(headers, TransportHeaders.DUE);
				if (target == null || due == null || record.value() == null) {
					logger.warn("Dropping the record at {}/{}/{}: not a delayed Worker task", record.topic(),
							record.partition(), record.offset());
				}
				else {
					sends.add(new Forward(record, this.sender
						.sendAsync(this.tiers.route(target, record.key(), headers, record.value(), due, now))));
				}
				forwarded.put(partition, new OffsetAndMetadata(record.offset() + 1));
			}
		}
		if (forwarded.isEmpty()) {
			return;
		}
		try {
			long deadline = System.nanoTime() + this.sendTimeout.toNanos();
			for (Forward send : sends) {
				await(send, deadline);
			}
			consumer.commitSync(forwarded);
		}
		catch (RuntimeException ex) {
			logger.warn("Forwarding delayed records failed; they will be forwarded again", ex);
			forwarded.keySet().forEach((partition) -> consumer.seek(partition, firstOffsets.get(partition)));
		}
	}

	private void await(Forward send, long deadline) {
		try {
			this.sender.await(send.copy(), "a delay tier or queue", deadline);
		}
		catch (KafkaSendException ex) {
			if (!SizeRefusal.isTooLarge(ex)) {
				throw ex;
			}
			this.refused.accept(send.record(), ex);
		}
	}

	/** A tier record and the send of its forwarded copy. */
	private record Forward(ConsumerRecord<String, byte[]> record, Future<RecordMetadata> copy) {
	}

	/** A partition that moves to another forwarder is no longer paused here. */
	private final class Rebalances implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			partitions.forEach(KafkaDelayForwarder.this.pausedUntil::remove);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
		}

	}

}
