package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;

import io.worker.TaskInfo;
import io.worker.spi.TaskMessage;

/**
 * Told what happens to tasks in this process: the seam for metrics and health. Calls come on the
 * enqueuing or working thread and must be quick.
 */
public interface TaskEventListener {

	/** A task was enqueued (or discarded, see {@link TaskInfo#state()}). */
	default void enqueued(TaskInfo task) {
	}

	/**
	 * A worker started an attempt.
	 * @param task the task
	 * @param queueWait from the task's enqueue (or due) time to now
	 */
	default void started(TaskMessage task, Duration queueWait) {
	}

	/**
	 * An attempt ended.
	 * @param task the task as it was delivered
	 * @param outcome how it ended
	 * @param duration how long the attempt ran
	 */
	default void finished(TaskMessage task, TaskOutcome outcome, Duration duration) {
	}

	/**
	 * A delivered task could not be read and was archived without running (see
	 * {@link io.worker.spi.Delivery#malformed()}).
	 * @param task what could be read of it
	 * @param reason why it could not be read
	 */
	default void malformed(TaskMessage task, String reason) {
	}

	/**
	 * The backend dropped a task it could keep nowhere (see {@link io.worker.spi.DeliverySink#dropped}).
	 * @param queue the task's queue
	 * @param reason a short, fixed reason
	 */
	default void dropped(String queue, String reason) {
	}

	/** A worker server heartbeat happened. */
	default void heartbeat(Instant at) {
	}

}
