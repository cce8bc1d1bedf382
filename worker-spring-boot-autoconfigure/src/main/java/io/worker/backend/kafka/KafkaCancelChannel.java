package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The cancel broadcast: a one-partition topic every instance reads from its end with a consumer
 * of its own (no group, no commit), calling the cancel listeners with each task id published. It
 * starts with the first listener, positioned at the end before that call returns, so a cancel
 * published afterwards is heard.
 */
final class KafkaCancelChannel implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KafkaCancelChannel.class);

	private final String topic;

	private final KafkaTopics topics;

	private final KafkaTaskSender sender;

	private final Supplier<Consumer<String, byte[]>> readers;

	private final List<java.util.function.Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Consumer<String, byte[]> reader;

	private volatile boolean running = true;

	private @Nullable Thread thread;

	KafkaCancelChannel(String topic, KafkaTopics topics, KafkaTaskSender sender,
			Supplier<Consumer<String, byte[]>> readers) {
		this.topic = topic;
		this.topics = topics;
		this.sender = sender;
		this.readers = readers;
	}

	/** Publish a cancellation to every instance, and wait for the acknowledgement. */
	void publish(String taskId) {
		this.topics.ensure(this.topic, KafkaTopics.Kind.BROADCAST);
		this.sender.send(new ProducerRecord<>(this.topic, taskId, taskId.getBytes(StandardCharsets.UTF_8)));
	}

	/** Call the listener with every cancellation published from now on. */
	synchronized void listen(java.util.function.Consumer<String> listener) {
		this.listeners.add(listener);
		if (this.thread == null) {
			this.topics.ensure(this.topic, KafkaTopics.Kind.BROADCAST);
			var consumer = this.readers.get();
			TopicPartition partition = new TopicPartition(this.topic, 0);
			consumer.assign(List.of(partition));
			consumer.seekToEnd(List.of(partition));
			consumer.position(partition);
			this.reader = consumer;
			Thread reading = new Thread(() -> read(consumer), "worker-kafka-cancel");
			reading.setDaemon(true);
			reading.start();
			this.thread = reading;
		}
	}

	private void read(Consumer<String, byte[]> consumer) {
		try (consumer) {
			while (this.running) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.value() != null) {
						String taskId = new String(record.value(), StandardCharsets.UTF_8);
						this.listeners.forEach((listener) -> listener.accept(taskId));
					}
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		catch (KafkaException ex) {
			logger.warn("The Kafka cancel channel stopped", ex);
		}
	}

	@Override
	public synchronized void close() {
		this.running = false;
		var consumer = this.reader;
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
