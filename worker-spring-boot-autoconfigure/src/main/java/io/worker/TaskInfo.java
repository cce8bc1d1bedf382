package io.worker;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What enqueueing a task produced.
 *
 * @param id the task's id
 * @param type the task's type
 * @param queue the queue it went to
 * @param state its state right after the enqueue
 * @param nextProcessAt when it is due to run, or {@code null} when it will not run
 */
public record TaskInfo(String id, String type, String queue, TaskState state, @Nullable Instant nextProcessAt) {
}
