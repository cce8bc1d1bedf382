package io.worker.spi;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A task to store, and when it is due.
 *
 * @param message the task
 * @param processAt when to process it, or {@code null} for now
 */
public record EnqueueRequest(TaskMessage message, @Nullable Instant processAt) {
}
