package io.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A task to enqueue: a type, a payload and options. Immutable; each option method returns a copy.
 *
 * <pre class="code">
 * Task.of("user:export", new ExportRequest(userId))
 *     .queue("low")
 *     .processIn(Duration.ofMinutes(10))
 *     .maxRetries(3)
 *     .unique(Duration.ofHours(1));
 * </pre>
 */
public final class Task {

	private final String type;

	private final @Nullable Object payload;

	private final @Nullable String queue;

	private final @Nullable Instant processAt;

	private final @Nullable Duration processIn;

	private final @Nullable Integer maxRetries;

	private final @Nullable Duration timeout;

	private final @Nullable Instant deadline;

	private final @Nullable Duration uniqueFor;

	private final @Nullable String id;

	private final @Nullable Duration retention;

	private final @Nullable String key;

	private final Map<String, String> headers;

	private Task(Builder b) {
		this.type = b.type;
		this.payload = b.payload;
		this.queue = b.queue;
		this.processAt = b.processAt;
		this.processIn = b.processIn;
		this.maxRetries = b.maxRetries;
		this.timeout = b.timeout;
		this.deadline = b.deadline;
		this.uniqueFor = b.uniqueFor;
		this.id = b.id;
		this.retention = b.retention;
		this.key = b.key;
		this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
	}

	/**
	 * Create a task to be processed now, on its type's queue.
	 * @param type the task type, for example {@code "email:send"}
	 * @param payload the payload, written as JSON; may be {@code null}
	 * @return the task
	 */
	public static Task of(String type, @Nullable Object payload) {
		if (type == null || type.isBlank()) {
			throw new IllegalArgumentException("Task type must not be empty");
		}
		Builder b = new Builder();
		b.type = type;
		b.payload = payload;
		return new Task(b);
	}

	/** Send the task to this queue instead of its type's queue. */
	public Task queue(String queue) {
		requireText(queue, "queue");
		return copy(b -> b.queue = queue);
	}

	/** Process the task no earlier than this delay after the enqueue. */
	public Task processIn(Duration delay) {
		requireNotNegative(delay, "processIn");
		return copy(b -> {
			b.processIn = delay;
			b.processAt = null;
		});
	}

	/** Process the task no earlier than this instant. */
	public Task processAt(Instant instant) {
		Objects.requireNonNull(instant, "processAt must not be null");
		return copy(b -> {
			b.processAt = instant;
			b.processIn = null;
		});
	}

	/** Retry a failed attempt at most this many times; overrides the type's setting. */
	public Task maxRetries(int maxRetries) {
		if (maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
		}
		return copy(b -> b.maxRetries = maxRetries);
	}

	/** Let one attempt run at most this long; overrides the type's setting. */
	public Task timeout(Duration timeout) {
		requirePositive(timeout, "timeout");
		return copy(b -> b.timeout = timeout);
	}

	/** Never run the task after this instant: an attempt still running then is interrupted and fails. */
	public Task deadline(Instant deadline) {
		Objects.requireNonNull(deadline, "deadline must not be null");
		return copy(b -> b.deadline = deadline);
	}

	/**
	 * Refuse another task with the same type, queue and payload while this one is held: from the
	 * enqueue until it completes or is deleted, and at most for {@code ttl}.
	 */
	public Task unique(Duration ttl) {
		requirePositive(ttl, "unique ttl");
		return copy(b -> b.uniqueFor = ttl);
	}

	/** Give the task this id instead of a generated one; a second task with the same id in the queue is refused. */
	public Task id(String id) {
		requireText(id, "id");
		return copy(b -> b.id = id);
	}

	/** Keep the task, with its result, in the COMPLETED state for this long after it succeeds. */
	public Task retention(Duration retention) {
		requireNotNegative(retention, "retention");
		return copy(b -> b.retention = retention);
	}

	/**
	 * Give the task an ordering key: on a backend that orders by key (Kafka), tasks of a queue with
	 * the same key run one at a time, in enqueue order, and tasks without a key or with other keys
	 * run in parallel. The order covers first attempts: a retried task comes back after the key's
	 * later tasks. Other backends (memory, Redis) keep the key with the task and otherwise ignore
	 * it: their tasks of the same key may run at the same time and in any order.
	 */
	public Task key(String key) {
		requireText(key, "key");
		return copy(b -> b.key = key);
	}

	/** Add a header, passed to the handler in its {@link TaskContext}. */
	public Task header(String name, String value) {
		requireText(name, "header name");
		Objects.requireNonNull(value, "header value must not be null");
		return copy(b -> b.headers.put(name, value));
	}

	public String type() {
		return this.type;
	}

	public @Nullable Object payload() {
		return this.payload;
	}

	public @Nullable String queue() {
		return this.queue;
	}

	/** The instant the task is due, given the enqueue time, or {@code null} for now. */
	public @Nullable Instant dueAt(Instant now) {
		if (this.processAt != null) {
			return this.processAt;
		}
		return (this.processIn != null) ? now.plus(this.processIn) : null;
	}

	public @Nullable Integer maxRetries() {
		return this.maxRetries;
	}

	public @Nullable Duration timeout() {
		return this.timeout;
	}

	public @Nullable Instant deadline() {
		return this.deadline;
	}

	public @Nullable Duration uniqueFor() {
		return this.uniqueFor;
	}

	public @Nullable String id() {
		return this.id;
	}

	public @Nullable Duration retention() {
		return this.retention;
	}

	public @Nullable String key() {
		return this.key;
	}

	public Map<String, String> headers() {
		return this.headers;
	}

	@Override
	public String toString() {
		return "Task[type=" + this.type + ", queue=" + this.queue + ", id=" + this.id + "]";
	}

	private Task copy(java.util.function.Consumer<Builder> change) {
		Builder b = new Builder();
		b.type = this.type;
		b.payload = this.payload;
		b.queue = this.queue;
		b.processAt = this.processAt;
		b.processIn = this.processIn;
		b.maxRetries = this.maxRetries;
		b.timeout = this.timeout;
		b.deadline = this.deadline;
		b.uniqueFor = this.uniqueFor;
		b.id = this.id;
		b.retention = this.retention;
		b.key = this.key;
		b.headers.putAll(this.headers);
		change.accept(b);
		return new Task(b);
	}

	private static void requireText(String value, String what) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(what + " must not be empty");
		}
	}

	private static void requireNotNegative(Duration value, String what) {
		if (value == null || value.isNegative()) {
			throw new IllegalArgumentException(what + " must be zero or positive, was " + value);
		}
	}

	private static void requirePositive(Duration value, String what) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(what + " must be positive, was " + value);
		}
	}

	private static final class Builder {

		private String type = "";

		private @Nullable Object payload;

		private @Nullable String queue;

		private @Nullable Instant processAt;

		private @Nullable Duration processIn;

		private @Nullable Integer maxRetries;

		private @Nullable Duration timeout;

		private @Nullable Instant deadline;

		private @Nullable Duration uniqueFor;

		private @Nullable String id;

		private @Nullable Duration retention;

		private @Nullable String key;

		private final Map<String, String> headers = new LinkedHashMap<>();

	}

}
