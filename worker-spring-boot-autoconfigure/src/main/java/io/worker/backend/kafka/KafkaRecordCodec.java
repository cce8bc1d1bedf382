package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.worker.spi.TaskMessage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link TaskMessage} as record headers (the payload is the record's value) and reads it
 * back. Instants and durations are ISO-8601 text so they come back exactly; each task header is a
 * record header {@code worker-h-<name>}. Kept to the shape of the shared wire format
 * ({@code headers(TaskMessage)}, {@code read(headers, payload)}) so it can be swapped for it.
 * Transport headers ({@link TransportHeaders}) are not part of the message.
 */
final class KafkaRecordCodec {

	static final String PREFIX = "worker-";

	private static final String HEADER = PREFIX + "h-";

	private KafkaRecordCodec() {
	}

	/** Every field of the message but its payload, as header names and values. */
	static Map<String, String> headers(TaskMessage message) {
		Map<String, String> headers = new LinkedHashMap<>();
		put(headers, "id", message.id());
		put(headers, "type", message.type());
		put(headers, "queue", message.queue());
		put(headers, "max-retries", message.maxRetries());
		put(headers, "retried", message.retried());
		put(headers, "timeout", message.timeout());
		put(headers, "deadline", message.deadline());
		put(headers, "unique-key", message.uniqueKey());
		put(headers, "unique-ttl", message.uniqueTtl());
		put(headers, "retention", message.retention());
		put(headers, "enqueued-at", message.enqueuedAt());
		put(headers, "last-error", message.lastError());
		put(headers, "last-failed-at", message.lastFailedAt());
		message.headers().forEach((name, value) -> headers.put(HEADER + name, value));
		return headers;
	}

	/**
	 * The message written by {@link #headers(TaskMessage)}.
	 * @throws IllegalArgumentException when a required header is missing or a value cannot be read
	 */
	static TaskMessage read(Map<String, String> headers, byte[] payload) {
		Map<String, String> taskHeaders = new LinkedHashMap<>();
		headers.forEach((name, value) -> {
			if (name.startsWith(HEADER)) {
				taskHeaders.put(name.substring(HEADER.length()), value);
			}
		});
		Integer retried = get(headers, "retried", Integer::valueOf);
		return new TaskMessage(required(headers, "id"), required(headers, "type"), required(headers, "queue"),
				payload, taskHeaders, get(headers, "max-retries", Integer::valueOf), (retried != null) ? retried : 0,
				get(headers, "timeout", Duration::parse), get(headers, "deadline", Instant::parse),
				headers.get(PREFIX + "unique-key"), get(headers, "unique-ttl", Duration::parse),
				get(headers, "retention", Duration::parse), required(headers, "enqueued-at", Instant::parse),
				headers.get(PREFIX + "last-error"), get(headers, "last-failed-at", Instant::parse));
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

	private static void put(Map<String, String> headers, String name, @Nullable Object value) {
		if (value != null) {
			headers.put(PREFIX + name, value.toString());
		}
	}

	private static String required(Map<String, String> headers, String name) {
		return required(headers, name, Function.identity());
	}

	private static <T> T required(Map<String, String> headers, String name, Function<String, T> parser) {
		T value = get(headers, name, parser);
		if (value == null) {
			throw new IllegalArgumentException("header " + PREFIX + name + " is missing");
		}
		return value;
	}

	private static <T> @Nullable T get(Map<String, String> headers, String name, Function<String, T> parser) {
		String text = headers.get(PREFIX + name);
		if (text == null) {
			return null;
		}
		try {
			return parser.apply(text);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("header " + PREFIX + name + " cannot be read: '" + text + "'", ex);
		}
	}

}
