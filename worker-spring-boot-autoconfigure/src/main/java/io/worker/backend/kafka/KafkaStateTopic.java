package io.worker.backend.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compacted one-partition topic read as a table shared by every instance: each reads it from its
 * first offset and keeps reading, so one starting later learns the same state as those running;
 * the last record of a key wins and a tombstone removes the key. Reading starts at first use, and
 * readers wait until this instance has read up to the end offset of that moment; a write waits
 * until it was read back, so the writer sees its own write and never an older one after it.
 */
final class KafkaStateTopic implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KafkaStateTopic.class);

	private final String topic;

	private final KafkaTopics topics;

	private final KafkaTaskSender sender;

	private final Supplier<Consumer<String, byte[]>> readers;

	private final Duration timeout;

	private final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();

	private final Object progress = new Object();

	/** The next offset to read; guarded by {@link #progress}. */
	private long position = -1;

	private long endAtStart = -1;

	private @Nullable String failure;

	private volatile boolean running = true;

	private @Nullable Consumer<String, byte[]> reader;

	private @Nullable Thread thread;

	/**
	 * @param readers makes a consumer without a group, to read the topic by assignment
	 * @param timeout how long catching up or reading back a write may take
	 */
	KafkaStateTopic(String topic, KafkaTopics topics, KafkaTaskSender sender,
			Supplier<Consumer<String, byte[]>> readers, Duration timeout) {
		this.topic = topic;
		this.topics = topics;
		this.sender = sender;
		this.readers = readers;
		this.timeout = timeout;
	}

	/** Write a key's value (as record headers), and wait until it was read back. */
	void put(String key, Map<String, String> value) {
		start();
		long offset = this.sender
			.send(new ProducerRecord<>(this.topic, null, key, new byte[0], KafkaRecordCodec.toRecordHeaders(value)))
			.offset();
		awaitPosition(offset + 1);
	}

	/** Write a key's value (as record headers) without waiting for it to be read back. */
	void putQuietly(String key, Map<String, String> value) {
		this.topics.ensure(this.topic, KafkaTopics.Kind.STATE);
		this.sender.send(new ProducerRecord<>(this.topic, null, key, new byte[0], KafkaRecordCodec.toRecordHeaders(value)));
	}

	/** Remove a key (a tombstone), and wait until it was read back. */
	void remove(String key) {
		start();
		long offset = this.sender.send(new ProducerRecord<>(this.topic, key, null)).offset();
		awaitPosition(offset + 1);
	}

	/** Remove a key (a tombstone) without waiting for it to be read back. */
	void removeQuietly(String key) {
		this.topics.ensure(this.topic, KafkaTopics.Kind.STATE);
		this.sender.send(new ProducerRecord<>(this.topic, key, null));
	}

	/** Every key and value, once this instance has read the topic up to the end it had when reading started. */
	Map<String, Map<String, String>> entries() {
		awaitCaughtUp();
		return Map.copyOf(this.entries);
	}

	/** A key's value as far as this instance has read, without waiting. */
	@Nullable Map<String, String> known(String key) {
		return this.entries.get(key);
	}

	/**
	 * Start reading (the first time) and wait until the topic was read up to the end it had then.
	 * @throws IllegalStateException when that does not happen in time
	 */
	void awaitCaughtUp() {
		start();
		long end;
		synchronized (this.progress) {
			end = this.endAtStart;
		}
		awaitPosition(end);
	}

	private synchronized void start() {
		if (this.thread != null) {
			return;
		}
		this.topics.ensure(this.topic, KafkaTopics.Kind.STATE);
		Consumer<String, byte[]> consumer = this.readers.get();
		TopicPartition partition = new TopicPartition(this.topic, 0);
		consumer.assign(List.of(partition));
		consumer.seekToBeginning(List.of(partition));
		long end = consumer.endOffsets(List.of(partition), this.timeout).get(partition);
		long first = consumer.position(partition, this.timeout);
		synchronized (this.progress) {
			this.endAtStart = end;
			this.position = first;
		}
		this.reader = consumer;
		Thread reading = new Thread(() -> read(consumer, partition), "worker-kafka-state-" + this.topic);
		reading.setDaemon(true);
		reading.start();
		this.thread = reading;
	}

	private void read(Consumer<String, byte[]> consumer, TopicPartition partition) {
		try (consumer) {
			while (this.running) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.key() == null) {
						continue;
					}
					if (record.value() == null) {
						this.entries.remove(record.key());
					}
					else {
						this.entries.put(record.key(), KafkaRecordCodec.fromRecordHeaders(record.headers()));
					}
				}
				long read = consumer.position(partition, this.timeout);
				synchronized (this.progress) {
					this.position = read;
					this.progress.notifyAll();
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		catch (KafkaException ex) {
			logger.warn("Stopped reading Kafka topic '{}'", this.topic, ex);
			synchronized (this.progress) {
				this.failure = ex.toString();
				this.progress.notifyAll();
			}
		}
	}

	private void awaitPosition(long offset) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		synchronized (this.progress) {
			while (this.position < offset) {
				long left = deadline - System.nanoTime();
				if (this.failure != null || left <= 0) {
					throw new IllegalStateException("Could not read Kafka topic '" + this.topic + "' up to offset "
							+ offset + " within " + this.timeout
							+ ((this.failure != null) ? ": " + this.failure : " (read up to " + this.position + ")"));
				}
				try {
					this.progress.wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while reading Kafka topic '" + this.topic + "'", ex);
				}
			}
		}
	}

	@Override
	public synchronized void close() {
		this.running = false;
		Consumer<String, byte[]> consumer = this.reader;
		if (consumer != null) {
			consumer.wakeup();
		}
		Thread reading = this.thread;
		if (reading != null) {
			try {
				reading.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
