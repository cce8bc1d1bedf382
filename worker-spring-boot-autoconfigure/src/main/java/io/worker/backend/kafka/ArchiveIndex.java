package io.worker.backend.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The live records of one archive topic (the latest record of each key that is not a tombstone),
 * kept up to date by reading only what was appended since the last reading: the dashboard counts
 * the archive every few seconds, and reading the whole topic each time would grow with it. A
 * partition whose end went back (the topic was deleted and made again) is read again from its start.
 */
final class ArchiveIndex {

	private final String topic;

	private final Supplier<Consumer<String, byte[]>> readers;

	private final Duration timeout;

	private final Map<TopicPartition, Long> next = new HashMap<>();

	private final Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();

	private long recordsRead;

	ArchiveIndex(String topic, Supplier<Consumer<String, byte[]>> readers, Duration timeout) {
		this.topic = topic;
		this.readers = readers;
		this.timeout = timeout;
	}

	/** The live records of the given partitions of the topic, newest first, after reading what is new. */
	synchronized List<ConsumerRecord<String, byte[]>> live(List<TopicPartition> partitions) {
		try (Consumer<String, byte[]> reader = this.readers.get()) {
			reader.assign(partitions);
			Map<TopicPartition, Long> starts = reader.beginningOffsets(partitions, this.timeout);
			Map<TopicPartition, Long> ends = new HashMap<>(reader.endOffsets(partitions, this.timeout));
			for (TopicPartition partition : partitions) {
				long from = this.next.getOrDefault(partition, 0L);
				if (ends.get(partition) < from) {
					forget(partition);
					from = 0;
				}
				reader.seek(partition, Math.max(from, starts.get(partition)));
			}
			read(reader, ends);
		}
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(this.latest.values());
		records.sort(Comparator.comparingLong((ConsumerRecord<String, byte[]> record) -> record.timestamp())
			.reversed());
		return records;
	}

	/** How many records the index has read in all, for tests of its incremental reading. */
	synchronized long recordsRead() {
		return this.recordsRead;
	}

	private void read(Consumer<String, byte[]> reader, Map<TopicPartition, Long> ends) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (true) {
			ends.entrySet().removeIf((end) -> {
				long position = reader.position(end.getKey(), this.timeout);
				this.next.put(end.getKey(), position);
				return position >= end.getValue();
			});
			if (ends.isEmpty()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Reading the archive topic '" + this.topic + "' took longer than " + this.timeout);
			}
			for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(100))) {
				keep(record);
			}
		}
	}

	private void keep(ConsumerRecord<String, byte[]> record) {
		this.recordsRead++;
		@Nullable String key = record.key();
		if (key == null) {
			return;
		}
		this.latest.remove(key);
		if (record.value() != null) {
			this.latest.put(key, record);
		}
	}

	private void forget(TopicPartition partition) {
		this.latest.values().removeIf((record) -> record.partition() == partition.partition());
		this.next.remove(partition);
	}

}
