package io.worker.runtime;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Configured options of one task type ({@code worker.tasks.<type>.*}); {@code null} where the
 * configuration sets nothing.
 *
 * @param enabled whether the type is enabled
 * @param queue the queue
 * @param maxRetries the retries
 * @param timeout the timeout of one attempt
 * @param backoff the backoff
 */
public record TaskTypeOptions(@Nullable Boolean enabled, @Nullable String queue, @Nullable Integer maxRetries,
		@Nullable Duration timeout, @Nullable Backoff backoff) {

	/** Options that set nothing. */
	public static final TaskTypeOptions NONE = new TaskTypeOptions(null, null, null, null, null);

}
