package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.worker.TaskNotFoundException;
import io.worker.spi.TaskMessage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead letter: a compacted topic per queue, {@code <prefix>.<queue>.archive}, keyed by task
 * id, each record carrying the task's headers (its last error and retry count among them) and its
 * origin topic, partition and offset. A re-run or deleted task is a tombstone, so it is not listed
 * again. Listing and counting read only what was appended since the last reading
 * ({@link ArchiveIndex}), without a group and without committing; the live records are kept in
 * memory.
 */
final class KafkaArchive {

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
		Map<String, String> headers = KafkaRecordCodec.headers(failed);
		headers.put(TransportHeaders.ORIGIN, origin);
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
			try {
				tasks.add(KafkaRecordCodec.read(KafkaRecordCodec.fromRecordHeaders(record.headers()), record.value()));
			}
			catch (IllegalArgumentException ex) {
				// garbage kept for an operator to look at with Kafka's own tools
			}
		}
		return tasks;
	}

	/** How many records the archive of a queue holds. */
	long count(String queue) {
		return live(queue).size();
	}

	/** Publish an archived task to its queue again, then remove it from the archive. */
	void rerun(String queue, String id) {
		TaskMessage task = find(queue, id);
		this.publisher.publish(task, null, 1);
		tombstone(queue, id);
	}

	/** Remove a task from the archive. */
	void delete(String queue, String id) {
		find(queue, id);
		tombstone(queue, id);
	}

	private TaskMessage find(String queue, String id) {
		return tasks(queue).stream()
			.filter((task) -> task.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new TaskNotFoundException(queue, id));
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
