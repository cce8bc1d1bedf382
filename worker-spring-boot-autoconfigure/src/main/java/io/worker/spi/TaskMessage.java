package io.worker.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task as a backend stores and delivers it. Backends persist every field and give it back
 * unchanged, except where the runtime hands them an updated copy (after a failure).
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
 */
public record TaskMessage(String id, String type, String queue, byte[] payload, Map<String, String> headers,
		@Nullable Integer maxRetries, int retried, @Nullable Duration timeout, @Nullable Instant deadline,
		@Nullable String uniqueKey, @Nullable Duration uniqueTtl, @Nullable Duration retention, Instant enqueuedAt,
		@Nullable String lastError, @Nullable Instant lastFailedAt) {

	public TaskMessage {
		headers = Map.copyOf(headers);
	}

	/** A copy after a failed attempt: one more retry counted, with its error. */
	public TaskMessage failed(String error, Instant at) {
		return new TaskMessage(this.id, this.type, this.queue, this.payload, this.headers, this.maxRetries,
				this.retried + 1, this.timeout, this.deadline, this.uniqueKey, this.uniqueTtl, this.retention,
				this.enqueuedAt, error, at);
	}

	/** A copy that failed for good with the given error, without counting a retry. */
	public TaskMessage withError(String error, Instant at) {
		return new TaskMessage(this.id, this.type, this.queue, this.payload, this.headers, this.maxRetries,
				this.retried, this.timeout, this.deadline, this.uniqueKey, this.uniqueTtl, this.retention,
				this.enqueuedAt, error, at);
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

}
