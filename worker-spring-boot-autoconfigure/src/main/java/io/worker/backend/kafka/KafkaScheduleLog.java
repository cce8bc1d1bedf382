package io.worker.backend.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.worker.spi.ScheduleLog;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recurring tasks' log on Kafka: the one partition of the {@code <prefix>.schedules} topic.
 * Records are appended with the backend's idempotent {@code acks=all} producer, so an append that
 * returned is below the high watermark; a read takes the end offset when it starts and reads up to
 * it with a consumer of its own (assigned, no group, nothing committed). Positions are offsets.
 */
final class KafkaScheduleLog implements ScheduleLog, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KafkaScheduleLog.class);

	private static final byte[] NO_VALUE = new byte[0];

	private final String topic;

	private final TopicPartition partition;

	private final KafkaTopics topics;

	private final KafkaTaskSender sender;

	private final Supplier<Consumer<String, byte[]>> readers;

	private final Duration timeout;

	private @Nullable Consumer<String, byte[]> reader;

	/**
	 * @param topic the log's topic, created on first use
	 * @param topics creates and checks it
	 * @param sender the backend's producer
	 * @param readers a consumer without a group, for reading by assignment
	 * @param timeout how long an append or a read may take
	 */
	KafkaScheduleLog(String topic, KafkaTopics topics, KafkaTaskSender sender,
			Supplier<Consumer<String, byte[]>> readers, Duration timeout) {
		this.topic = topic;
		this.partition = new TopicPartition(topic, 0);
		this.topics = topics;
		this.sender = sender;
		this.readers = readers;
		this.timeout = timeout;
	}

	/** Create the topic if it is missing, else check it; done once per process. */
	void ensureTopic() {
		try {
			this.topics.ensure(this.topic, KafkaTopics.Kind.LOG);
		}
		catch (KafkaTopics.KafkaAdminException ex) {
			throw new IllegalStateException(
					"The Kafka schedules topic '" + this.topic + "' could not be created or checked: " + ex.getMessage(),
					ex);
		}
	}

	@Override
	public void append(byte[] record) {
		ensureTopic();
		try {
			this.sender.send(new ProducerRecord<>(this.topic, 0, null, record));
		}
		catch (KafkaTaskSender.KafkaSendException ex) {
			throw new IllegalStateException("Kafka did not confirm a record appended to the schedules topic '"
					+ this.topic + "' within " + this.timeout + ": " + ex.getCause(), ex);
		}
	}

	@Override
	public synchronized List<Entry> readAfter(long after) {
		ensureTopic();
		try {
			return read(reader(), after);
		}
		catch (KafkaException ex) {
			// start the next read with a fresh consumer rather than one in an unknown state
			closeReader();
			throw new IllegalStateException(
					"Kafka did not answer a read of the schedules topic '" + this.topic + "' within " + this.timeout
							+ ": " + ex,
					ex);
		}
	}

	private List<Entry> read(Consumer<String, byte[]> consumer, long after) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		List<TopicPartition> partitions = List.of(this.partition);
		long end = consumer.endOffsets(partitions, this.timeout).get(this.partition);
		long first = consumer.beginningOffsets(partitions, remaining(deadline)).get(this.partition);
		// a position older than the first retained record was truncated away: read what is left
		long from = Math.max(first, after + 1);
		List<Entry> entries = new ArrayList<>();
		if (from >= end) {
			return entries;
		}
		consumer.seek(this.partition, from);
		while (consumer.position(this.partition, remaining(deadline)) < end) {
			for (ConsumerRecord<String, byte[]> record : consumer.poll(remaining(deadline)).records(this.partition)) {
				if (record.offset() < end) {
					entries.add(new Entry(record.offset(), value(record)));
				}
			}
		}
		return entries;
	}

	/**
	 * A record's value; a record without one (a tombstone produced by hand) is logged and becomes an
	 * empty record, which the store skips as it skips a filler, so that positions stay consecutive.
	 */
	private byte[] value(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			logger.error("Skipped a record without a value at offset {} of the Kafka schedules topic '{}'",
					record.offset(), this.topic);
			return NO_VALUE;
		}
		return record.value();
	}

	/** What is left until the deadline; a read past it fails as Kafka's own timeouts do. */
	private static Duration remaining(long deadline) {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new org.apache.kafka.common.errors.TimeoutException("the read did not reach the end offset in time");
		}
		return Duration.ofNanos(left);
	}

	private Consumer<String, byte[]> reader() {
		Consumer<String, byte[]> consumer = this.reader;
		if (consumer == null) {
			consumer = this.readers.get();
			consumer.assign(List.of(this.partition));
			this.reader = consumer;
		}
		return consumer;
	}

	private void closeReader() {
		Consumer<String, byte[]> consumer = this.reader;
		this.reader = null;
		if (consumer != null) {
			consumer.close(Duration.ZERO);
		}
	}

	@Override
	public synchronized void close() {
		closeReader();
	}

}
