package io.worker.backend.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The backend's one producer, shared by every thread: idempotent, {@code acks=all}, and bounded by
 * the send timeout ({@code max.block.ms} and {@code delivery.timeout.ms} when not set). A send is
 * done once the broker acknowledged it; {@link #sendAll} sends a batch and waits once.
 */
final class KafkaTaskSender implements AutoCloseable {

	/** The producer's default {@code max.request.size}. */
	private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

	private final Producer<String, byte[]> producer;

	private final Duration sendTimeout;

	private final int maxRequestSize;

	KafkaTaskSender(Map<String, Object> properties, Duration sendTimeout) {
		Map<String, Object> config = config(properties, sendTimeout);
		this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
		this.sendTimeout = sendTimeout;
		Object maxRequestSize = config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
		this.maxRequestSize = (maxRequestSize != null) ? (int) longValue(maxRequestSize) : DEFAULT_MAX_REQUEST_SIZE;
	}

	static Map<String, Object> config(Map<String, Object> properties, Duration sendTimeout) {
		Map<String, Object> config = new HashMap<>(properties);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		long timeout = sendTimeout.toMillis();
		config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
		config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
		config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, timeout / 2));
		// delivery.timeout.ms must be at least linger.ms + request.timeout.ms
		long least = longValue(config.get(ProducerConfig.LINGER_MS_CONFIG))
				+ longValue(config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
		config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(least, timeout));
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		return config;
	}

	/** The largest record the producer sends ({@code max.request.size}). */
	int maxRequestSize() {
		return this.maxRequestSize;
	}

	private static long longValue(Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(value.toString().trim());
	}

	/** Send without waiting; the callback-free future completes once the broker acknowledged. */
	Future<RecordMetadata> sendAsync(ProducerRecord<String, byte[]> record) {
		return this.producer.send(record);
	}

	/** Send and wait for the acknowledgement. */
	RecordMetadata send(ProducerRecord<String, byte[]> record) {
		return sendAll(List.of(record)).get(0);
	}

	/**
	 * Send every record, then wait once for all acknowledgements.
	 * @throws KafkaSendException naming the first record that was not acknowledged in time
	 */
	List<RecordMetadata> sendAll(List<ProducerRecord<String, byte[]>> records) {
		List<Future<RecordMetadata>> futures = new ArrayList<>();
		for (ProducerRecord<String, byte[]> record : records) {
			try {
				futures.add(this.producer.send(record));
			}
			catch (RuntimeException ex) {
				futures.add(CompletableFuture.failedFuture(ex));
			}
		}
		long deadline = System.nanoTime() + this.sendTimeout.toNanos();
		List<RecordMetadata> acknowledged = new ArrayList<>();
		for (int i = 0; i < futures.size(); i++) {
			acknowledged.add(await(futures.get(i), records.get(i).topic(), deadline));
		}
		return acknowledged;
	}

	/**
	 * Wait for one send until a deadline ({@link System#nanoTime()}).
	 * @throws KafkaSendException when it failed or was not acknowledged by then
	 */
	RecordMetadata await(Future<RecordMetadata> future, String topic, long deadline) {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw new KafkaSendException(topic, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new KafkaSendException(topic, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaSendException(topic, ex);
		}
	}

	@Override
	public void close() {
		this.producer.close(this.sendTimeout);
	}

	/** A send to a topic was not acknowledged by the broker. */
	static final class KafkaSendException extends RuntimeException {

		KafkaSendException(String topic, Throwable cause) {
			super("Kafka did not acknowledge a record sent to '" + topic + "': " + cause, cause);
		}

	}

}
