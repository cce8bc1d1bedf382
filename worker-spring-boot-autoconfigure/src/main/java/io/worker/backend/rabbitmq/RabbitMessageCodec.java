package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link TaskMessage} as AMQP message headers (the payload is the body) and reads it
 * back. Every value is text: instants and durations in ISO-8601, so they come back exactly; each
 * task header is {@code worker-h-<name>}. The shape ({@code headers(TaskMessage)},
 * {@code read(headers, body)}) is that of the shared wire format planned for the SPI, so that this
 * class can be swapped for it.
 */
final class RabbitMessageCodec {

	static final String ID = "worker-id";

	static final String TYPE = "worker-type";

	static final String QUEUE = "worker-queue";

	static final String MAX_RETRIES = "worker-max-retries";

	static final String RETRIED = "worker-retried";

	static final String TIMEOUT = "worker-timeout";

	static final String DEADLINE = "worker-deadline";

	static final String UNIQUE_KEY = "worker-unique-key";

	static final String UNIQUE_TTL = "worker-unique-ttl";

	static final String RETENTION = "worker-retention";

	static final String ENQUEUED_AT = "worker-enqueued-at";

	static final String LAST_ERROR = "worker-last-error";

	static final String LAST_FAILED_AT = "worker-last-failed-at";

	static final String HEADER = "worker-h-";

	/** The longest error kept in a header: a message's headers must fit in one AMQP frame. */
	static final int MAX_ERROR_LENGTH = 8 * 1024;

	private RabbitMessageCodec() {
	}

	/** The message's fields as headers, without its payload. */
	static Map<String, String> headers(TaskMessage message) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(ID, message.id());
		headers.put(TYPE, message.type());
		headers.put(QUEUE, message.queue());
		put(headers, MAX_RETRIES, message.maxRetries());
		headers.put(RETRIED, Integer.toString(message.retried()));
		put(headers, TIMEOUT, message.timeout());
		put(headers, DEADLINE, message.deadline());
		put(headers, UNIQUE_KEY, message.uniqueKey());
		put(headers, UNIQUE_TTL, message.uniqueTtl());
		put(headers, RETENTION, message.retention());
		headers.put(ENQUEUED_AT, message.enqueuedAt().toString());
		String error = message.lastError();
		if (error != null && error.length() > MAX_ERROR_LENGTH) {
			error = error.substring(0, MAX_ERROR_LENGTH) + "…";
		}
		put(headers, LAST_ERROR, error);
		put(headers, LAST_FAILED_AT, message.lastFailedAt());
		message.headers().forEach((name, value) -> headers.put(HEADER + name, value));
		return headers;
	}

	/**
	 * Read a message back from its headers and body.
	 * @throws IllegalArgumentException when a required header is missing or a value cannot be read
	 */
	static TaskMessage read(Map<String, String> headers, byte[] body) {
		Map<String, String> taskHeaders = new LinkedHashMap<>();
		headers.forEach((name, value) -> {
			if (name.startsWith(HEADER)) {
				taskHeaders.put(name.substring(HEADER.length()), value);
			}
		});
		return new TaskMessage(required(headers, ID), required(headers, TYPE), required(headers, QUEUE), body,
				taskHeaders, get(headers, MAX_RETRIES, Integer::valueOf), get(headers, RETRIED, Integer::valueOf, 0),
				get(headers, TIMEOUT, Duration::parse), get(headers, DEADLINE, Instant::parse),
				get(headers, UNIQUE_KEY, Function.identity()), get(headers, UNIQUE_TTL, Duration::parse),
				get(headers, RETENTION, Duration::parse), parse(headers, ENQUEUED_AT, Instant::parse),
				get(headers, LAST_ERROR, Function.identity()), get(headers, LAST_FAILED_AT, Instant::parse));
	}

	private static void put(Map<String, String> headers, String name, @Nullable Object value) {
		if (value != null) {
			headers.put(name, value.toString());
		}
	}

	private static String required(Map<String, String> headers, String name) {
		String value = headers.get(name);
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException("header " + name + " is missing");
		}
		return value;
	}

	private static <T> T parse(Map<String, String> headers, String name, Function<String, T> parser) {
		T value = get(headers, name, parser);
		if (value == null) {
			throw new IllegalArgumentException("header " + name + " is missing");
		}
		return value;
	}

	private static <T> T get(Map<String, String> headers, String name, Function<String, T> parser, T otherwise) {
		T value = get(headers, name, parser);
		return (value != null) ? value : otherwise;
	}

	private static <T> @Nullable T get(Map<String, String> headers, String name, Function<String, T> parser) {
		String value = headers.get(name);
		if (value == null) {
			return null;
		}
		try {
			return parser.apply(value);
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			throw new IllegalArgumentException("header " + name + " has a bad value '" + value + "'", ex);
		}
	}

}
