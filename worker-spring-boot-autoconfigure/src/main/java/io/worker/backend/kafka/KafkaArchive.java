package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.worker.TaskEnqueueException;
import io.worker.TaskNotFoundException;
import io.worker.backend.kafka.KafkaTaskSender.KafkaSendException;
import io.worker.spi.TaskMessage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letter: a compacted topic per queue, {@code <prefix>.<queue>.archive}, keyed by task
 * id, each record carrying the task's headers (its last error and retry count among them) and its
 * origin topic, partition and offset. A task whose re-publish Kafka refuses as too large (a retry
 * or a redelivery carries its error besides the payload its queue topic took) is archived here
 * instead, with the reason, since Kafka would refuse it every time. A re-run or deleted task is a
 * tombstone, so it is not listed again. Listing and counting read only what was appended since the last reading
 * ({@link ArchiveIndex}), without a group and without committing; the live records are kept in
 * memory.
 */
final class KafkaArchive {

	private static final Logger logger = LoggerFactory.getLogger(KafkaArchive.class);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private final KafkaTaskSender sender;

	private final KafkaTopics topics;

	private final KafkaTopicNames names;

	private final Supplier<Consumer<String, byte[]>> readers;

	private final KafkaPublisher publisher;

	private final ArchiveWriter writer;

	private final Map<String, ArchiveIndex> indexes = new ConcurrentHashMap<>();

	/**
	 * @param readers makes a consumer without a group, to read a topic by assignment
	 * @param writer writes the archived records, truncating or dropping those too large
	 */
	KafkaArchive(KafkaTaskSender sender, KafkaTopics topics, KafkaTopicNames names,
			Supplier<Consumer<String, byte[]>> readers, KafkaPublisher publisher, ArchiveWriter writer) {
		this.sender = sender;
		this.topics = topics;
		this.names = names;
		this.readers = readers;
		this.publisher = publisher;
		this.writer = writer;
	}

	/**
	 * Archive a task that failed for good, and wait for the acknowledgement; one too large for the
	 * archive topic is archived truncated, or dropped ({@link ArchiveWriter}).
	 */
	void publish(TaskMessage failed, String origin) {
		write(failed, origin, null);
	}

	/**
	 * Re-publish a task; when Kafka refuses the copy as too large, archive the task instead (as
	 * {@link #publish} does, its own error kept) with the reason in
	 * {@link TransportHeaders#ARCHIVE_REASON}, and wait for the acknowledgement.
	 * @param task the task as it would be re-published
	 * @param origin where the task was consumed ({@code topic/partition/offset})
	 * @param what the re-publish, for the reason: "the retry", "the redelivery", ...
	 * @param republish publishes the copy and waits for the acknowledgement
	 * @throws KafkaSendException when the copy was refused for another reason, or the archive failed
	 */
	void republishOrArchive(TaskMessage task, String origin, String what, Runnable republish) {
		try {
			republish.run();
		}
		catch (KafkaSendException ex) {
			if (!SizeRefusal.isTooLarge(ex)) {
				throw ex;
			}
			archiveRefused(task, origin, what + tooLarge(ex));
		}
	}

	/**
	 * Archive a task whose re-publish Kafka refused as too large, with the reason, and wait for the
	 * acknowledgement.
	 */
	void archiveRefused(TaskMessage task, String origin, String reason) {
		logger.warn("Task {} of queue {} (from {}) is archived: {}", task.id(), task.queue(), origin, reason);
		write(task, origin, reason);
	}

	/** Why a re-publish refused as too large is archived, after what it was. */
	static String tooLarge(RuntimeException refusal) {
		return " was refused by Kafka as too large (" + refusal.getMessage() + "); raise the topic's "
				+ "max.message.bytes (and the producer's max.request.size), or keep errors shorter "
				+ "(worker.limits.max-error-length)";
	}

	private void write(TaskMessage failed, String origin, @Nullable String reason) {
		Map<String, String> headers = KafkaRecordCodec.headers(failed);
		headers.put(TransportHeaders.ORIGIN, origin);
		if (reason != null) {
			headers.put(TransportHeaders.ARCHIVE_REASON, reason);
		}
		this.writer.write(failed.queue(), new ProducerRecord<>(topic(failed.queue()), null, failed.id(),
				failed.payload(), KafkaRecordCodec.toRecordHeaders(headers)), failed.id(), origin);
	}

	/**
	 * Archive a record that is not a task, as it came, with the reason, and wait for the
	 * acknowledgement; one too large for the archive topic is archived truncated, or dropped.
	 */
	void publishGarbage(String queue, ConsumerRecord<String, byte[]> record, String reason) {
		// a copy: the consumer record's headers are kept for another attempt, and a sent record's are read-only
		Headers headers = new RecordHeaders(record.headers().toArray());
		headers.remove(TransportHeaders.ARCHIVE_REASON);
		headers.remove(TransportHeaders.ORIGIN);
		headers.add(TransportHeaders.ARCHIVE_REASON, reason.getBytes(StandardCharsets.UTF_8));
		String origin = record.topic() + "/" + record.partition() + "/" + record.offset();
		headers.add(TransportHeaders.ORIGIN, origin.getBytes(StandardCharsets.UTF_8));
		String key = "garbage-" + record.topic() + "-" + record.partition() + "-" + record.offset();
		byte[] value = (record.value() != null) ? record.value() : new byte[0];
		this.writer.write(queue, new ProducerRecord<>(topic(queue), null, key, value, headers), key, origin);
	}

	/** The archived tasks of a queue, newest first; records that are not tasks are left out. */
	List<TaskMessage> tasks(String queue) {
		List<TaskMessage> tasks = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : live(queue)) {
			TaskMessage task = read(record);
			if (task != null) {
				tasks.add(task);
			}
		}
		return tasks;
	}

	/** How many records the archive of a queue holds. */
	long count(String queue) {
		return live(queue).size();
	}

	/**
	 * Publish an archived task to its queue again, then remove it from the archive. A task Kafka
	 * refuses as too large for its queue stays in the archive, the reason added to its record.
	 * @throws TaskEnqueueException when Kafka refuses the task as too large for its queue
	 */
	void rerun(String queue, String id) {
		ConsumerRecord<String, byte[]> archived = find(queue, id);
		TaskMessage task = KafkaRecordCodec.read(KafkaRecordCodec.fromRecordHeaders(archived.headers()),
				archived.value());
		try {
			this.publisher.publish(task, null, 1);
		}
		catch (KafkaSendException ex) {
			if (!SizeRefusal.isTooLarge(ex)) {
				throw ex;
			}
			String reason = "the re-run" + tooLarge(ex);
			rewrite(queue, archived, reason);
			throw new TaskEnqueueException(
					"Task " + id + " of queue " + queue + " cannot be re-run and stays in the archive: " + reason, ex);
		}
		tombstone(queue, id);
	}

	/** Remove a task from the archive. */
	void delete(String queue, String id) {
		find(queue, id);
		tombstone(queue, id);
	}

	/** The live archive record of a task. */
	private ConsumerRecord<String, byte[]> find(String queue, String id) {
		for (ConsumerRecord<String, byte[]> record : live(queue)) {
			if (id.equals(record.key()) && read(record) != null) {
				return record;
			}
		}
		throw new TaskNotFoundException(queue, id);
	}

	/**
	 * The task an archive record holds, or {@code null} for garbage, which is kept for an operator to
	 * look at with Kafka's own tools.
	 */
	private static @Nullable TaskMessage read(ConsumerRecord<String, byte[]> record) {
		try {
			return KafkaRecordCodec.read(KafkaRecordCodec.fromRecordHeaders(record.headers()), record.value());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** Archive a record again as it is, with a new reason, so that it says why it is still there. */
	private void rewrite(String queue, ConsumerRecord<String, byte[]> archived, String reason) {
		Headers headers = new RecordHeaders(archived.headers().toArray());
		headers.remove(TransportHeaders.ARCHIVE_REASON);
		headers.add(TransportHeaders.ARCHIVE_REASON, reason.getBytes(StandardCharsets.UTF_8));
		Header origin = archived.headers().lastHeader(TransportHeaders.ORIGIN);
		String from = (origin != null) ? new String(origin.value(), StandardCharsets.UTF_8) : "the archive";
		this.writer.write(queue, new ProducerRecord<>(topic(queue), null, archived.key(), archived.value(), headers),
				archived.key(), from);
	}

	private void tombstone(String queue, String id) {
		this.sender.send(new ProducerRecord<>(topic(queue), id, null));
	}

	private String topic(String queue) {
		String topic = this.names.archive(queue);
		this.topics.ensure(topic, KafkaTopics.Kind.ARCHIVE);
		return topic;
	}

	/** The latest record of every key that is not a tombstone, newest first. */
	private List<ConsumerRecord<String, byte[]>> live(String queue) {
		String topic = this.names.archive(queue);
		List<TopicPartition> partitions = this.topics.partitions(topic);
		if (partitions.isEmpty()) {
			return List.of();
		}
		return index(topic).live(partitions);
	}

	/** The index of an archive topic, made on first use. */
	private ArchiveIndex index(String topic) {
		return this.indexes.computeIfAbsent(topic, (name) -> new ArchiveIndex(name, this.readers, READ_TIMEOUT));
	}

}
