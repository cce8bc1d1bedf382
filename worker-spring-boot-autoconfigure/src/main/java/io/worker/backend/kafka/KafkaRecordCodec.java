package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.spi.MalformedTaskException;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a {@link TaskMessage} as record headers in the shared wire format ({@link TaskEnvelope};
 * the payload is the record's value) and reads it back. Transport headers ({@link TransportHeaders})
 * are not part of the message.
 */
final class KafkaRecordCodec {

	private KafkaRecordCodec() {
	}

	/** Every field of the message but its payload, as header names and values (the shared wire format). */
	static Map<String, String> headers(TaskMessage message) {
		return TaskEnvelope.headers(message);
	}

	/**
	 * The message written by {@link #headers(TaskMessage)}.
	 * @throws IllegalArgumentException when a required header is missing or a value cannot be read
	 */
	static TaskMessage read(Map<String, String> headers, byte[] payload) {
		try {
			return TaskEnvelope.read(headers, payload);
		}
		catch (MalformedTaskException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	/** Record headers from names and values, in UTF-8. */
	static Headers toRecordHeaders(Map<String, String> headers) {
		RecordHeaders recordHeaders = new RecordHeaders();
		headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
		return recordHeaders;
	}

	/** Names and values of record headers (the last one wins for a repeated name). */
	static Map<String, String> fromRecordHeaders(Headers headers) {
		Map<String, String> map = new LinkedHashMap<>();
		for (Header header : headers) {
			if (header.value() != null) {
				map.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
			}
		}
		return map;
	}

}
