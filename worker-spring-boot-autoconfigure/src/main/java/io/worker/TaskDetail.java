package io.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Everything the {@link TaskInspector} knows about one task.
 *
 * @param id the task's id
 * @param type its type
 * @param queue its queue
 * @param state its state
 * @param payload its payload as JSON text
 * @param headers its headers
 * @param retried how many attempts have failed so far
 * @param maxRetries how many retries it may have, or {@code null} for the type's setting
 * @param timeout its own timeout, or {@code null} for the type's setting
 * @param deadline its deadline, or {@code null}
 * @param enqueuedAt when it was enqueued
 * @param nextProcessAt when it is next due, or {@code null} when it is not waiting
 * @param lastError the last attempt's error, or {@code null}
 * @param lastFailedAt when the last attempt failed, or {@code null}
 * @param progress the last reported progress in percent, or {@code null}
 * @param progressMessage the last reported progress message, or {@code null}
 * @param result the handler's result as JSON text, or {@code null}
 * @param completedAt when it completed, or {@code null}
 * @param key its ordering key ({@link Task#key(String)}), or {@code null}
 * @param locator where a broker without an index by id keeps the task (for example a Kafka
 *     topic, partition and offset), opaque to callers; or {@code null} on a backend that finds
 *     tasks by id. The inspector's operations on one task accept it in place of the id.
 */
public record TaskDetail(String id, String type, String queue, TaskState state, String payload,
		Map<String, String> headers, int retried, @Nullable Integer maxRetries, @Nullable Duration timeout,
		@Nullable Instant deadline, Instant enqueuedAt, @Nullable Instant nextProcessAt, @Nullable String lastError,
		@Nullable Instant lastFailedAt, @Nullable Integer progress, @Nullable String progressMessage,
		@Nullable String result, @Nullable Instant completedAt, @Nullable String key,
		@Nullable String locator) {

	/** The id to act on this task with: its locator where it has one, else its id. */
	public String handle() {
		return (this.locator != null) ? this.locator : this.id;
	}

}
