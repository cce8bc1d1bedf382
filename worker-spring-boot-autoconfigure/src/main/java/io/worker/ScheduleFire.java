package io.worker;

import java.time.Instant;

/**
 * One tick of a schedule that enqueued a task (or one manual trigger).
 *
 * @param tick the fire instant the tick stands for (the trigger time for a manual trigger)
 * @param taskId the id of the task it enqueued
 * @param queue the queue the task went to
 * @param firedAt when the task was enqueued
 */
public record ScheduleFire(Instant tick, String taskId, String queue, Instant firedAt) {
}
