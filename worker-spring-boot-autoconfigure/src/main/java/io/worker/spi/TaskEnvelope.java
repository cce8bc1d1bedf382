package io.worker.spi;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The wire format of a task on any push broker: the payload apart, every field of the
 * {@link TaskMessage} is a text field named {@code worker-*}. Kafka carries them as record headers,
 * and RabbitMQ as headers of an archived task; a task in a RabbitMQ queue carries them in front of
 * its payload in the message body instead, where the broker does not decode them.
 * <p>
 * Formats:
 * <ul>
 * <li>instants are ISO-8601 in UTC ({@link Instant#toString()}, {@code 2025-01-01T10:15:30.123456Z}):
 * they come back exactly, to the nanosecond, unlike epoch milliseconds, and read the same in a
 * broker's console as in the Redis store;</li>
 * <li>durations are ISO-8601 ({@link Duration#toString()}, {@code PT30S}), for the same reasons;</li>
 * <li>counts are decimal integers;</li>
 * <li>each of the task's own headers is {@value #USER_HEADER_PREFIX}{@code <name>}.</li>
 * </ul>
 * Sizes are bounded, well below RabbitMQ's frame and Kafka's record limits: a header name at most
 * {@value #MAX_NAME_LENGTH} characters, a value at most {@value #MAX_VALUE_LENGTH}, at most
 * {@value #MAX_HEADERS} {@code worker-*} headers, together at most {@value #MAX_TOTAL_LENGTH}
 * characters. The last error alone is cut to fit rather than refused, since a failure must always
 * be recordable.
 * <p>
 * {@link #read} ignores headers that do not start with {@value #PREFIX} (the broker's own) and
 * {@code worker-*} headers it does not know (written by a newer version), and throws
 * {@link MalformedTaskException}, and no other exception, for anything else it cannot read.
 */
public final class TaskEnvelope {

	/** The prefix of every header this format writes. */
	public static final String PREFIX = "worker-";

	/** The prefix of the task's own headers ({@link TaskMessage#headers()}). */
	public static final String USER_HEADER_PREFIX = "worker-h-";

	/** The task's id; required. */
	public static final String ID = "worker-id";

	/** The task's type; required. */
	public static final String TYPE = "worker-type";

	/** The task's queue; required. */
	public static final String QUEUE = "worker-queue";

	/** When the task was enqueued; required. */
	public static final String ENQUEUED_AT = "worker-enqueued-at";

	/** How many attempts have failed; 0 when absent. */
	public static final String RETRIED = "worker-retried";

	/** The retries asked for at enqueue. */
	public static final String MAX_RETRIES = "worker-max-retries";

	/** The timeout asked for at enqueue. */
	public static final String TIMEOUT = "worker-timeout";

	/** The deadline. */
	public static final String DEADLINE = "worker-deadline";

	/** The unique lock's key. */
	public static final String UNIQUE_KEY = "worker-unique-key";

	/** How long the unique lock is held at most. */
	public static final String UNIQUE_TTL = "worker-unique-ttl";

	/** How long to keep the task once completed. */
	public static final String RETENTION = "worker-retention";

	/** The ordering key. */
	public static final String KEY = "worker-key";

	/** The last failure's message. */
	public static final String LAST_ERROR = "worker-last-error";

	/** When the last attempt failed. */
	public static final String LAST_FAILED_AT = "worker-last-failed-at";

	/** The longest header name, in characters. */
	public static final int MAX_NAME_LENGTH = 256;

	/** The longest header value, in characters. */
	public static final int MAX_VALUE_LENGTH = 16 * 1024;

	/** The most {@code worker-*} headers in one task. */
	public static final int MAX_HEADERS = 128;

	/** The most characters of all {@code worker-*} header names and values together. */
	public static final int MAX_TOTAL_LENGTH = 64 * 1024;

	private TaskEnvelope() {
	}

	/**
	 * The headers that carry a task, its payload aside.
	 * @param message the task
	 * @return the headers, in a stable order
	 * @throws MalformedTaskException when the task does not fit the size bounds
	 */
	public static Map<String, String> headers(TaskMessage message) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(ID, message.id());
		headers.put(TYPE, message.type());
		headers.put(QUEUE, message.queue());
		headers.put(ENQUEUED_AT, message.enqueuedAt().toString());
		headers.put(RETRIED, Integer.toString(message.retried()));
		put(headers, MAX_RETRIES, message.maxRetries());
		put(headers, TIMEOUT, message.timeout());
		put(headers, DEADLINE, message.deadline());
		put(headers, UNIQUE_KEY, message.uniqueKey());
		put(headers, UNIQUE_TTL, message.uniqueTtl());
		put(headers, RETENTION, message.retention());
		put(headers, KEY, message.key());
		String lastError = message.lastError();
		if (lastError != null) {
			headers.put(LAST_ERROR,
					(lastError.length() > MAX_VALUE_LENGTH) ? lastError.substring(0, MAX_VALUE_LENGTH) : lastError);
		}
		put(headers, LAST_FAILED_AT, message.lastFailedAt());
		message.headers().forEach((name, value) -> headers.put(USER_HEADER_PREFIX + name, value));
		Bounds bounds = new Bounds();
		headers.forEach(bounds::check);
		return headers;
	}

	/**
	 * Read a task from the headers and payload of a message.
	 * @param headers the message's headers; others than {@code worker-*} are ignored
	 * @param payload the message's body
	 * @return the task
	 * @throws MalformedTaskException when a required header is missing, a value is invalid or the
	 * headers are too large
	 */
	public static TaskMessage read(@Nullable Map<String, String> headers, byte @Nullable [] payload) {
		if (headers == null) {
			throw new MalformedTaskException(null, "The message has no headers");
		}
		if (payload == null) {
			throw new MalformedTaskException(null, "The message has no payload");
		}
		Bounds bounds = new Bounds();
		Map<String, String> fields = new HashMap<>();
		Map<String, String> userHeaders = new LinkedHashMap<>();
		for (Map.Entry<String, String> header : headers.entrySet()) {
			String name = header.getKey();
			if (name == null) {
				throw new MalformedTaskException(null, "The message has a header without a name");
			}
			if (!name.startsWith(PREFIX)) {
				continue;
			}
			String value = header.getValue();
			bounds.check(name, value);
			if (name.startsWith(USER_HEADER_PREFIX)) {
				userHeaders.put(name.substring(USER_HEADER_PREFIX.length()), value);
			}
			else {
				fields.put(name, value);
			}
		}
		return TaskMessage.builder(text(fields, ID), text(fields, TYPE), text(fields, QUEUE))
			.payload(payload)
			.headers(userHeaders)
			.enqueuedAt(requiredInstant(fields, ENQUEUED_AT))
			.retried(count(fields, RETRIED, 0))
			.maxRetries(count(fields, MAX_RETRIES, null))
			.timeout(positive(fields, TIMEOUT))
			.deadline(instant(fields, DEADLINE))
			.uniqueKey(optionalText(fields, UNIQUE_KEY))
			.uniqueTtl(positive(fields, UNIQUE_TTL))
			.retention(notNegative(fields, RETENTION))
			.key(optionalText(fields, KEY))
			.lastError(fields.get(LAST_ERROR))
			.lastFailedAt(instant(fields, LAST_FAILED_AT))
			.build();
	}

	private static void put(Map<String, String> headers, String name, @Nullable Object value) {
		if (value != null) {
			headers.put(name, value.toString());
		}
	}

	private static String text(Map<String, String> fields, String name) {
		String value = optionalText(fields, name);
		if (value == null) {
			throw new MalformedTaskException(name, "Header '" + name + "' is missing");
		}
		return value;
	}

	private static @Nullable String optionalText(Map<String, String> fields, String name) {
		String value = fields.get(name);
		if (value != null && value.isBlank()) {
			throw new MalformedTaskException(name, "Header '" + name + "' is empty");
		}
		return value;
	}

	private static Instant requiredInstant(Map<String, String> fields, String name) {
		Instant value = instant(fields, name);
		if (value == null) {
			throw new MalformedTaskException(name, "Header '" + name + "' is missing");
		}
		return value;
	}

	private static @Nullable Instant instant(Map<String, String> fields, String name) {
		return parse(fields, name, Instant::parse, "an ISO-8601 instant such as 2025-01-01T10:15:30Z");
	}

	private static @Nullable Duration duration(Map<String, String> fields, String name) {
		return parse(fields, name, Duration::parse, "an ISO-8601 duration such as PT30S");
	}

	/** The parsed value, or {@code null} when absent; the parsers throw only date-time or arithmetic exceptions. */
	private static <T> @Nullable T parse(Map<String, String> fields, String name, Function<String, T> parser,
			String expected) {
		String value = fields.get(name);
		if (value == null) {
			return null;
		}
		try {
			return parser.apply(value);
		}
		catch (DateTimeException | ArithmeticException ex) {
			throw invalid(name, value, expected);
		}
	}

	private static @Nullable Duration positive(Map<String, String> fields, String name) {
		Duration value = duration(fields, name);
		if (value != null && (value.isNegative() || value.isZero())) {
			throw invalid(name, value.toString(), "a positive duration");
		}
		return value;
	}

	private static @Nullable Duration notNegative(Map<String, String> fields, String name) {
		Duration value = duration(fields, name);
		if (value != null && value.isNegative()) {
			throw invalid(name, value.toString(), "a duration of zero or more");
		}
		return value;
	}

	private static @Nullable Integer count(Map<String, String> fields, String name, @Nullable Integer defaultValue) {
		String value = fields.get(name);
		if (value == null) {
			return defaultValue;
		}
		// digits only: Integer.parseInt would also take a sign
		if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw invalid(name, value, "a count of 0 or more");
		}
		long count = Long.parseLong(value);
		if (count > Integer.MAX_VALUE) {
			throw invalid(name, value, "a count of at most " + Integer.MAX_VALUE);
		}
		return (int) count;
	}

	private static MalformedTaskException invalid(String name, String value, String expected) {
		String shown = (value.length() > 64) ? value.substring(0, 64) + "..." : value;
		return new MalformedTaskException(name, "Header '" + name + "' is '" + shown + "', expected " + expected);
	}

	/** Counts the headers of one task against the size bounds. */
	private static final class Bounds {

		private int headers;

		private long length;

		void check(String name, @Nullable String value) {
			if (name.length() > MAX_NAME_LENGTH) {
				throw new MalformedTaskException(shorten(name), "Header name '" + shorten(name) + "' is longer than "
						+ MAX_NAME_LENGTH + " characters");
			}
			if (name.equals(USER_HEADER_PREFIX)) {
				throw new MalformedTaskException(name, "Header '" + name + "' has no name after its prefix");
			}
			if (value == null) {
				throw new MalformedTaskException(name, "Header '" + name + "' has no value");
			}
			if (value.length() > MAX_VALUE_LENGTH) {
				throw new MalformedTaskException(name, "Header '" + name + "' is longer than " + MAX_VALUE_LENGTH
						+ " characters");
			}
			if (++this.headers > MAX_HEADERS) {
				throw new MalformedTaskException(null, "The task has more than " + MAX_HEADERS + " headers");
			}
			this.length += name.length() + value.length();
			if (this.length > MAX_TOTAL_LENGTH) {
				throw new MalformedTaskException(null, "The task's headers are longer than " + MAX_TOTAL_LENGTH
						+ " characters together");
			}
		}

		private static String shorten(String name) {
			return (name.length() > 64) ? name.substring(0, 64) + "..." : name;
		}

	}

}
