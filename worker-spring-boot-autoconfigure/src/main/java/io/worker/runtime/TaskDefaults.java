package io.worker.runtime;

import java.time.Duration;
import java.util.List;

/**
 * What applies to a task type when neither its configuration nor its annotation says otherwise.
 *
 * @param queue the queue
 * @param maxRetries the retries
 * @param timeout the timeout of one attempt
 * @param backoff the backoff
 * @param nonRetryable exceptions (and their subclasses) that archive a task at once
 */
public record TaskDefaults(String queue, int maxRetries, Duration timeout, Backoff backoff,
		List<Class<? extends Throwable>> nonRetryable) {

	/** Queue {@code default}, 25 retries, 30 minutes per attempt, the default backoff. */
	public static final TaskDefaults STANDARD = new TaskDefaults("default", 25, Duration.ofMinutes(30),
			Backoff.DEFAULT, List.of());

}
