package io.worker.runtime;

import java.time.Duration;
import java.util.List;

/**
 * The settings that apply to one task type, resolved from its configuration, its handler's
 * annotation and the defaults, in that order.
 *
 * @param type the task type
 * @param enabled whether the type is enabled
 * @param queue the queue its tasks go to when the enqueuer names none
 * @param maxRetries the retries
 * @param timeout the timeout of one attempt
 * @param backoff the backoff
 * @param retryOn the only exceptions retried, empty for all
 * @param noRetryFor exceptions that archive a task at once
 */
public record TaskSettings(String type, boolean enabled, String queue, int maxRetries, Duration timeout,
		Backoff backoff, List<Class<? extends Throwable>> retryOn, List<Class<? extends Throwable>> noRetryFor) {

	/** Whether a failure with this exception may be retried. */
	public boolean isRetryable(Throwable failure) {
		if (this.noRetryFor.stream().anyMatch((type) -> type.isInstance(failure))) {
			return false;
		}
		return this.retryOn.isEmpty() || this.retryOn.stream().anyMatch((type) -> type.isInstance(failure));
	}

}
