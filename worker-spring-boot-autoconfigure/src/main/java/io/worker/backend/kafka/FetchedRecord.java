package io.worker.backend.kafka;

import java.util.Map;

import io.worker.spi.TaskMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * A fetched record, read on the poll thread before it waits in the buffer: its headers and its
 * task, or why it is not one. The threads that refill the window under the windows' lock then only
 * place it, so that the lock is held for the bookkeeping, not for decoding.
 *
 * @param record the record as fetched
 * @param headers its headers, decoded
 * @param message the task it holds, or {@code null} when it is not a task
 * @param unreadable why it is not a task, or {@code null} when it is one
 */
record FetchedRecord(ConsumerRecord<String, byte[]> record, Map<String, String> headers,
		@Nullable TaskMessage message, @Nullable String unreadable) {

	static FetchedRecord read(ConsumerRecord<String, byte[]> record) {
		Map<String, String> headers = KafkaRecordCodec.fromRecordHeaders(record.headers());
		try {
			if (record.value() == null) {
				throw new IllegalArgumentException("the record has no value");
			}
			return new FetchedRecord(record, headers, KafkaRecordCodec.read(headers, record.value()), null);
		}
		catch (IllegalArgumentException ex) {
			return new FetchedRecord(record, headers, null, "not a Worker task: " + ex.getMessage());
		}
	}

	long offset() {
		return this.record.offset();
	}

	@Nullable String key() {
		return this.record.key();
	}

}
