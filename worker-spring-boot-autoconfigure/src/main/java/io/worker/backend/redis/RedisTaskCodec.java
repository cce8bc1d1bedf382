package io.worker.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.worker.TaskDetail;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link TaskMessage} as the fields of its task hash and reads it back; times are held as
 * {@link RedisTimes} says (the enqueue time and deadline in epoch nanoseconds, the rest in
 * milliseconds).
 * Each header is a field {@code h:<name>}. The id and queue are not stored (the key holds them), nor
 * a retry count of 0; a task pending from its enqueue has no {@code next_at} (it became ready when
 * enqueued), so a queued task costs Redis as few fields as it needs.
 * <p>
 * The fields only this class reads have names of one or two characters ({@code t} the type,
 * {@code p} the payload, {@code e} the enqueue time, ...): under the long names a queued no-op
 * task's hash took 16 bytes more ({@code MEMORY USAGE} 264 against 248). Hashes written by earlier
 * versions, under the long names, read the same. The fields the scripts read or write keep their
 * names: {@code state}, {@code token} (the delivery holding the lease), {@code max_retries},
 * {@code retried}, {@code unique_key}, {@code last_error}, {@code last_failed_at}, {@code next_at}
 * and {@code completed_at} (epoch ms), {@code progress}, {@code progress_msg} and {@code result}.
 */
final class RedisTaskCodec {

	private static final String HEADER = "h:";

	private static final String QUEUE = "q:";

	private static final Field TYPE = new Field("t", "type");

	private static final Field PAYLOAD = new Field("p", "payload");

	private static final Field TIMEOUT = new Field("to", "timeout");

	private static final Field DEADLINE = new Field("dl", "deadline");

	private static final Field UNIQUE_TTL = new Field("ut", "unique_ttl");

	private static final Field RETENTION = new Field("rt", "retention");

	private static final Field ENQUEUED_AT = new Field("e", "enqueued_at");

	private static final Field ORDERING_KEY = new Field("k", "ordering_key");

	/** A field written under its short name and read under it or the long name earlier versions wrote. */
	private record Field(String name, String legacyName) {

		byte @Nullable [] in(Map<String, byte[]> hash) {
			byte[] value = hash.get(this.name);
			return (value != null) ? value : hash.get(this.legacyName);
		}

		/** An instant: epoch nanoseconds under the short name, the earlier version's milliseconds under the long one. */
		@Nullable Instant instantIn(Map<String, byte[]> hash) {
			byte[] value = hash.get(this.name);
			if (value != null) {
				return RedisTimes.epochNanos(text(value));
			}
			byte[] legacy = hash.get(this.legacyName);
			return (legacy != null) ? RedisTimes.instant(text(legacy)) : null;
		}

	}

	private RedisTaskCodec() {
	}

	/** Every field of the message but its id and queue, as name and value pairs. */
	static List<byte[]> encode(TaskMessage message) {
		List<byte[]> fields = new ArrayList<>(24);
		put(fields, TYPE.name(), message.type());
		fields.add(bytes(PAYLOAD.name()));
		fields.add(message.payload());
		put(fields, "max_retries", message.maxRetries());
		put(fields, TIMEOUT.name(), RedisTimes.millis(message.timeout()));
		put(fields, DEADLINE.name(), RedisTimes.nanos(message.deadline()));
		put(fields, "unique_key", message.uniqueKey());
		put(fields, UNIQUE_TTL.name(), RedisTimes.millis(message.uniqueTtl()));
		put(fields, RETENTION.name(), RedisTimes.millis(message.retention()));
		put(fields, ENQUEUED_AT.name(), RedisTimes.nanos(message.enqueuedAt()));
		put(fields, ORDERING_KEY.name(), message.key());
		message.headers().forEach((name, value) -> put(fields, HEADER + name, value));
		fields.addAll(encodeFailure(message));
		return fields;
	}

	/** The fields a failed attempt changes: the retry count and the last error. */
	static List<byte[]> encodeFailure(TaskMessage message) {
		List<byte[]> fields = new ArrayList<>();
		put(fields, "retried", (message.retried() > 0) ? message.retried() : null);
		put(fields, "last_error", message.lastError());
		put(fields, "last_failed_at", RedisTimes.millis(message.lastFailedAt()));
		return fields;
	}

	static TaskMessage decode(String id, String queue, Map<String, byte[]> hash) {
		Map<String, String> headers = new LinkedHashMap<>();
		hash.forEach((name, value) -> {
			if (name.startsWith(HEADER)) {
				headers.put(name.substring(HEADER.length()), text(value));
			}
		});
		return TaskMessage.builder(id, required(hash, TYPE), queue)
			.payload(payload(hash))
			.headers(headers)
			.maxRetries(get(hash, "max_retries", Integer::valueOf))
			.retried(get(hash, "retried", Integer::parseInt, 0))
			.timeout(get(hash, TIMEOUT, RedisTimes::duration))
			.deadline(DEADLINE.instantIn(hash))
			.uniqueKey(get(hash, "unique_key", Function.identity()))
			.uniqueTtl(get(hash, UNIQUE_TTL, RedisTimes::duration))
			.retention(get(hash, RETENTION, RedisTimes::duration))
			.enqueuedAt(enqueuedAt(hash))
			.lastError(get(hash, "last_error", Function.identity()))
			.lastFailedAt(get(hash, "last_failed_at", RedisTimes::instant))
			.key(get(hash, ORDERING_KEY, Function.identity()))
			.build();
	}

	/**
	 * A task read from its hash, or, when the hash cannot be read (a field missing or unparsable,
	 * a hash written by something other than Worker), what could be read and why the rest could not.
	 */
	record Read(TaskMessage message, @Nullable String malformed) {
	}

	/** Read a task hash without throwing: garbage costs only its own entry. */
	static Read read(String id, String queue, Map<String, byte[]> hash) {
		byte[] marked = hash.get("malformed");
		if (marked == null) {
			try {
				return new Read(decode(id, queue, hash), null);
			}
			catch (RuntimeException ex) {
				return new Read(placeholder(id, queue, hash), "its task hash cannot be read: " + ex.getMessage());
			}
		}
		return new Read(placeholder(id, queue, hash), text(marked));
	}

	/** What can be read of a task hash that cannot be decoded. */
	private static TaskMessage placeholder(String id, String queue, Map<String, byte[]> hash) {
		String type = lenient(hash, TYPE, Function.identity());
		Instant enqueuedAt;
		try {
			enqueuedAt = enqueuedAt(hash);
		}
		catch (RuntimeException ex) {
			enqueuedAt = Instant.EPOCH;
		}
		return TaskMessage.builder(id, (type != null) ? type : "unknown", queue)
			.payload(payload(hash))
			.enqueuedAt(enqueuedAt)
			.lastError(lenient(hash, "last_error", Function.identity()))
			.build();
	}

	private static <T> @Nullable T lenient(Map<String, byte[]> hash, String name, Function<String, T> parser) {
		try {
			return get(hash, name, parser);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static <T> @Nullable T lenient(Map<String, byte[]> hash, Field field, Function<String, T> parser) {
		try {
			return get(hash, field, parser);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static Instant enqueuedAt(Map<String, byte[]> hash) {
		Instant enqueuedAt = ENQUEUED_AT.instantIn(hash);
		if (enqueuedAt == null) {
			throw new IllegalStateException("Task hash has no field '" + ENQUEUED_AT.name() + "' (or '"
					+ ENQUEUED_AT.legacyName() + "')");
		}
		return enqueuedAt;
	}

	private static byte[] payload(Map<String, byte[]> hash) {
		byte[] payload = PAYLOAD.in(hash);
		return (payload != null) ? payload : new byte[0];
	}

	/** A task's detail for the inspector; a hash that cannot be read is shown with what can be. */
	static TaskDetail detail(String id, String queue, Map<String, byte[]> hash) {
		Read read = read(id, queue, hash);
		if (read.malformed() == null) {
			try {
				return readable(read.message(), hash);
			}
			catch (RuntimeException ex) {
				// the task's fields read but its state or progress fields do not: still shown, and deletable
				return malformed(id, queue, hash, read.message(), "its task hash cannot be read: " + ex.getMessage());
			}
		}
		return malformed(id, queue, hash, read.message(), read.malformed());
	}

	private static TaskDetail readable(TaskMessage message, Map<String, byte[]> hash) {
		TaskState state = TaskState.valueOf(required(hash, "state").toUpperCase(Locale.ROOT));
		boolean waiting = state == TaskState.PENDING || state == TaskState.SCHEDULED || state == TaskState.RETRY;
		byte[] result = hash.get("result");
		return new TaskDetail(message.id(), message.type(), message.queue(), state, text(message.payload()),
				message.headers(), message.retried(), message.maxRetries(), message.timeout(), message.deadline(),
				message.enqueuedAt(), waiting ? readyAt(hash, message) : null,
				message.lastError(), message.lastFailedAt(), get(hash, "progress", Integer::valueOf),
				get(hash, "progress_msg", Function.identity()), (result != null) ? text(result) : null,
				get(hash, "completed_at", RedisTimes::epochMillis), message.key(), null);
	}

	private static TaskDetail malformed(String id, String queue, Map<String, byte[]> hash, TaskMessage message,
			String problem) {
		TaskState state = lenient(hash, "state", (value) -> TaskState.valueOf(value.toUpperCase(Locale.ROOT)));
		String error = (message.lastError() != null) ? message.lastError() : "malformed task: " + problem;
		return new TaskDetail(id, message.type(), queue, (state != null) ? state : TaskState.ARCHIVED,
				text(message.payload()), Map.of(), 0, null, null, null, message.enqueuedAt(), null, error, null, null,
				null, null, null, null, null);
	}

	/** When the task became ready to run: its last due time, or its enqueue time. */
	static Instant readyAt(Map<String, byte[]> hash, TaskMessage message) {
		Instant dueAt = get(hash, "next_at", RedisTimes::epochMillis);
		return (dueAt != null) ? dueAt : message.enqueuedAt();
	}

	static List<byte[]> encode(WorkerInfo worker) {
		List<byte[]> fields = new ArrayList<>();
		put(fields, "id", worker.id());
		put(fields, "host", worker.host());
		put(fields, "pid", worker.pid());
		put(fields, "concurrency", worker.concurrency());
		put(fields, "strict", worker.strictPriority());
		put(fields, "started_at", worker.startedAt());
		put(fields, "active", worker.activeTasks());
		put(fields, "last_heartbeat", worker.lastHeartbeat());
		worker.queues().forEach((queue, weight) -> put(fields, QUEUE + queue, weight));
		return fields;
	}

	static WorkerInfo decodeWorker(Map<String, byte[]> hash) {
		Map<String, Integer> queues = new LinkedHashMap<>();
		hash.forEach((name, value) -> {
			if (name.startsWith(QUEUE)) {
				queues.put(name.substring(QUEUE.length()), Integer.valueOf(text(value)));
			}
		});
		return new WorkerInfo(required(hash, "id"), required(hash, "host"), Long.parseLong(required(hash, "pid")),
				Integer.parseInt(required(hash, "concurrency")), queues, Boolean.parseBoolean(required(hash, "strict")),
				Instant.parse(required(hash, "started_at")), Integer.parseInt(required(hash, "active")),
				Instant.parse(required(hash, "last_heartbeat")));
	}

	/** A hash as a flat list of names and values, as {@code HGETALL} in a script returns it. */
	static Map<String, byte[]> toMap(List<?> flat, int from) {
		Map<String, byte[]> hash = new LinkedHashMap<>();
		for (int i = from; i + 1 < flat.size(); i += 2) {
			hash.put(text((byte[]) flat.get(i)), (byte[]) flat.get(i + 1));
		}
		return hash;
	}

	/** A hash as Spring Data Redis returns it. */
	static Map<String, byte[]> toMap(Map<byte[], byte[]> hash) {
		Map<String, byte[]> map = new LinkedHashMap<>();
		hash.forEach((name, value) -> map.put(text(name), value));
		return map;
	}

	static String text(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static void put(List<byte[]> fields, String name, @Nullable Object value) {
		if (value != null) {
			fields.add(bytes(name));
			fields.add(bytes(value.toString()));
		}
	}

	private static String required(Map<String, byte[]> hash, String name) {
		byte[] value = hash.get(name);
		if (value == null) {
			throw new IllegalStateException("Task hash has no field '" + name + "'");
		}
		return text(value);
	}

	private static String required(Map<String, byte[]> hash, Field field) {
		byte[] value = field.in(hash);
		if (value == null) {
			throw new IllegalStateException(
					"Task hash has no field '" + field.name() + "' (or '" + field.legacyName() + "')");
		}
		return text(value);
	}

	private static <T> @Nullable T get(Map<String, byte[]> hash, Field field, Function<String, T> parser) {
		byte[] value = field.in(hash);
		return (value != null) ? parser.apply(text(value)) : null;
	}

	private static <T> @Nullable T get(Map<String, byte[]> hash, String name, Function<String, T> parser) {
		byte[] value = hash.get(name);
		return (value != null) ? parser.apply(text(value)) : null;
	}

	private static <T> T get(Map<String, byte[]> hash, String name, Function<String, T> parser, T defaultValue) {
		T value = get(hash, name, parser);
		return (value != null) ? value : defaultValue;
	}

}
