package io.worker.spi;

import io.worker.TaskInfo;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of storing one task: its info, or why it was refused.
 *
 * @param info what was stored, or {@code null} when refused
 * @param failure why it was refused, or {@code null} when stored
 */
public record EnqueueResult(@Nullable TaskInfo info, @Nullable RuntimeException failure) {

	public static EnqueueResult stored(TaskInfo info) {
		return new EnqueueResult(info, null);
	}

	public static EnqueueResult refused(RuntimeException failure) {
		return new EnqueueResult(null, failure);
	}

}
