package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

import io.worker.backend.kafka.KafkaTaskSender.KafkaSendException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to a dead-letter topic and waits for the acknowledgement. Kafka refuses a record
 * larger than the topic's {@code max.message.bytes} or the producer's {@code max.request.size}
 * every time, and an archive that kept trying would hold its partition's commit for good: such a
 * record is archived as a truncated copy instead (its value cut to fit, the original size in
 * {@link TransportHeaders#TRUNCATED}), and when even that is refused it is dropped, logged as an
 * error and counted, so that its offset advances either way.
 */
final class ArchiveWriter {

	private static final Logger logger = LoggerFactory.getLogger(ArchiveWriter.class);

	/** Room kept for the record batch's and the record's own framing and the truncation header. */
	static final int FRAMING = 1024;

	private final KafkaTaskSender sender;

	private final ToIntFunction<String> maxMessageBytes;

	private final Consumer<String> dropped;

	/**
	 * @param maxMessageBytes the {@code max.message.bytes} of a topic
	 * @param dropped told the queue of each record dropped
	 */
	ArchiveWriter(KafkaTaskSender sender, ToIntFunction<String> maxMessageBytes, Consumer<String> dropped) {
		this.sender = sender;
		this.maxMessageBytes = maxMessageBytes;
		this.dropped = dropped;
	}

	/**
	 * Archive a record of a queue, truncated or dropped when Kafka refuses it as too large.
	 * @param id the task id (or the garbage record's name) for the log
	 * @param origin where the record was consumed ({@code topic/partition/offset}) for the log
	 * @throws KafkaSendException when the record was refused for another reason or not acknowledged
	 */
	void write(String queue, ProducerRecord<String, byte[]> record, String id, String origin) {
		try {
			this.sender.send(record);
			return;
		}
		catch (KafkaSendException ex) {
			if (!SizeRefusal.isTooLarge(ex)) {
				throw ex;
			}
		}
		ProducerRecord<String, byte[]> truncated = truncated(record);
		int originalSize = record.value().length;
		int keptSize = truncated.value().length;
		try {
			this.sender.send(truncated);
			logger.warn("Task {} of queue {} (from {}) was too large for {}: archived with its payload cut from {} "
					+ "to {} bytes", id, queue, origin, record.topic(), originalSize, keptSize);
		}
		catch (KafkaSendException ex) {
			if (!SizeRefusal.isTooLarge(ex)) {
				throw ex;
			}
			logger.error("Task {} of queue {} (from topic/partition/offset {}) is DROPPED: {} refuses it as too large "
					+ "even with its payload cut from {} to {} bytes; raise the topic's max.message.bytes "
					+ "(and the producer's max.request.size) to keep such tasks", id, queue, origin, record.topic(),
					originalSize, keptSize, ex);
			this.dropped.accept(queue);
		}
	}

	/** A copy whose value fits the smaller of the topic's and the producer's limit, with the original size. */
	private ProducerRecord<String, byte[]> truncated(ProducerRecord<String, byte[]> record) {
		int limit = Math.min(this.maxMessageBytes.applyAsInt(record.topic()), this.sender.maxRequestSize());
		int used = FRAMING + ((record.key() != null) ? record.key().getBytes(StandardCharsets.UTF_8).length : 0);
		RecordHeaders headers = new RecordHeaders();
		for (Header header : record.headers()) {
			if (!header.key().equals(TransportHeaders.TRUNCATED)) {
				headers.add(header);
				used += header.key().length() + ((header.value() != null) ? header.value().length : 0);
			}
		}
		byte[] value = record.value();
		headers.add(TransportHeaders.TRUNCATED, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
		int kept = Math.max(0, Math.min(value.length, limit - used));
		return new ProducerRecord<>(record.topic(), record.partition(), record.key(), Arrays.copyOf(value, kept),
				headers);
	}

}
