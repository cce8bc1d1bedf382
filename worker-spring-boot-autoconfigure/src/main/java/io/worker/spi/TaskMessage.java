package io.worker.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A task as a backend stores and delivers it. Backends persist every field and give it back
 * unchanged, except where the runtime hands them an updated copy (after a failure). Built with
 * {@link #builder(String, String, String)}, changed with {@link #toBuilder()}.
 *
 * @param id the task's id, unique within its queue
 * @param type the task type
 * @param queue the queue
 * @param payload the payload as JSON bytes
 * @param headers the headers (trace context travels here)
 * @param maxRetries the retries asked for at enqueue, or {@code null} for the type's setting
 * @param retried how many attempts have failed so far
 * @param timeout the timeout asked for at enqueue, or {@code null} for the type's setting
 * @param deadline the deadline, or {@code null}
 * @param uniqueKey the unique lock's key, or {@code null} when the task is not unique
 * @param uniqueTtl how long the unique lock is held at most, or {@code null}
 * @param retention how long to keep the task once completed, or {@code null} to delete it at once
 * @param enqueuedAt when the task was enqueued
 * @param lastError the last failure's message, or {@code null}
 * @param lastFailedAt when the last attempt failed, or {@code null}
 * @param key the ordering key, or {@code null}: tasks with the same key run one at a time, in
 * order, on a backend that orders by key (Kafka); others store it and ignore it
 */
public record TaskMessage(String id, String type, String queue, byte[] payload, Map<String, String> headers,
		@Nullable Integer maxRetries, int retried, @Nullable Duration timeout, @Nullable Instant deadline,
		@Nullable String uniqueKey, @Nullable Duration uniqueTtl, @Nullable Duration retention, Instant enqueuedAt,
		@Nullable String lastError, @Nullable Instant lastFailedAt, @Nullable String key) {

	public TaskMessage {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(type, "type must not be null");
		Objects.requireNonNull(queue, "queue must not be null");
		Objects.requireNonNull(payload, "payload must not be null");
		Objects.requireNonNull(enqueuedAt, "enqueuedAt must not be null");
		headers = Map.copyOf(headers);
	}

	/**
	 * Start building a message with no payload, no headers and no option set.
	 * @param id the task's id
	 * @param type the task type
	 * @param queue the queue
	 * @return a builder; {@link Builder#enqueuedAt(Instant)} must be set before {@link Builder#build()}
	 */
	public static Builder builder(String id, String type, String queue) {
		return new Builder(id, type, queue);
	}

	/** A builder holding every field of this message, to build a changed copy. */
	public Builder toBuilder() {
		return new Builder(this.id, this.type, this.queue).payload(this.payload)
			.headers(this.headers)
			.maxRetries(this.maxRetries)
			.retried(this.retried)
			.timeout(this.timeout)
			.deadline(this.deadline)
			.uniqueKey(this.uniqueKey)
			.uniqueTtl(this.uniqueTtl)
			.retention(this.retention)
			.enqueuedAt(this.enqueuedAt)
			.lastError(this.lastError)
			.lastFailedAt(this.lastFailedAt)
			.key(this.key);
	}

	/** A copy after a failed attempt: one more retry counted, with its error. */
	public TaskMessage failed(String error, Instant at) {
		return toBuilder().retried(this.retried + 1).lastError(error).lastFailedAt(at).build();
	}

	/** A copy that failed for good with the given error, without counting a retry. */
	public TaskMessage withError(String error, Instant at) {
		return toBuilder().lastError(error).lastFailedAt(at).build();
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof TaskMessage that) && this.id.equals(that.id) && this.queue.equals(that.queue)
				&& this.type.equals(that.type) && this.retried == that.retried
				&& Arrays.equals(this.payload, that.payload);
	}

	@Override
	public int hashCode() {
		return this.queue.hashCode() * 31 + this.id.hashCode();
	}

	@Override
	public String toString() {
		return "TaskMessage[id=" + this.id + ", type=" + this.type + ", queue=" + this.queue + ", retried="
				+ this.retried + "]";
	}

	/**
	 * Builds a {@link TaskMessage}; every option is unset ({@code null}) unless given.
	 */
	public static final class Builder {

		private final String id;

		private final String type;

		private final String queue;

		private byte[] payload = new byte[0];

		private Map<String, String> headers = Map.of();

		private @Nullable Integer maxRetries;

		private int retried;

		private @Nullable Duration timeout;

		private @Nullable Instant deadline;

		private @Nullable String uniqueKey;

		private @Nullable Duration uniqueTtl;

		private @Nullable Duration retention;

		private @Nullable Instant enqueuedAt;

		private @Nullable String lastError;

		private @Nullable Instant lastFailedAt;

		private @Nullable String key;

		private Builder(String id, String type, String queue) {
			this.id = id;
			this.type = type;
			this.queue = queue;
		}

		/** The payload as JSON bytes; empty by default. */
		public Builder payload(byte[] payload) {
			this.payload = payload;
			return this;
		}

		/** The headers; none by default. */
		public Builder headers(Map<String, String> headers) {
			this.headers = headers;
			return this;
		}

		/** The retries asked for at enqueue; see {@link TaskMessage#maxRetries()}. */
		public Builder maxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
			return this;
		}

		/** How many attempts have failed so far; 0 by default. */
		public Builder retried(int retried) {
			this.retried = retried;
			return this;
		}

		/** The timeout asked for at enqueue; see {@link TaskMessage#timeout()}. */
		public Builder timeout(@Nullable Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/** The deadline; see {@link TaskMessage#deadline()}. */
		public Builder deadline(@Nullable Instant deadline) {
			this.deadline = deadline;
			return this;
		}

		/** The unique lock's key; see {@link TaskMessage#uniqueKey()}. */
		public Builder uniqueKey(@Nullable String uniqueKey) {
			this.uniqueKey = uniqueKey;
			return this;
		}

		/** How long the unique lock is held at most; see {@link TaskMessage#uniqueTtl()}. */
		public Builder uniqueTtl(@Nullable Duration uniqueTtl) {
			this.uniqueTtl = uniqueTtl;
			return this;
		}

		/** How long to keep the completed task; see {@link TaskMessage#retention()}. */
		public Builder retention(@Nullable Duration retention) {
			this.retention = retention;
			return this;
		}

		/** When the task was enqueued; required. */
		public Builder enqueuedAt(Instant enqueuedAt) {
			this.enqueuedAt = enqueuedAt;
			return this;
		}

		/** The last failure's message; see {@link TaskMessage#lastError()}. */
		public Builder lastError(@Nullable String lastError) {
			this.lastError = lastError;
			return this;
		}

		/** When the last attempt failed; see {@link TaskMessage#lastFailedAt()}. */
		public Builder lastFailedAt(@Nullable Instant lastFailedAt) {
			this.lastFailedAt = lastFailedAt;
			return this;
		}

		/** The ordering key; see {@link TaskMessage#key()}. */
		public Builder key(@Nullable String key) {
			this.key = key;
			return this;
		}

		/**
		 * @return the message
		 * @throws NullPointerException when the id, type, queue, payload or enqueue time is missing
		 */
		public TaskMessage build() {
			Objects.requireNonNull(this.enqueuedAt, "enqueuedAt must be set");
			return new TaskMessage(this.id, this.type, this.queue, this.payload, this.headers, this.maxRetries,
					this.retried, this.timeout, this.deadline, this.uniqueKey, this.uniqueTtl, this.retention,
					this.enqueuedAt, this.lastError, this.lastFailedAt, this.key);
		}

	}

}
