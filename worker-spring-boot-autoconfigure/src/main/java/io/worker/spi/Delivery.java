package io.worker.spi;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One task handed to the runtime by a backend, and the ways to settle it. The runtime calls
 * exactly one settling method ({@link #complete}, {@link #retry}, {@link #archive} or
 * {@link #requeue}) once the handler has finished.
 */
public interface Delivery {

	/** The task. */
	TaskMessage message();

	/** When the task became ready to run: its enqueue time, or its due time if it was delayed. */
	default Instant readyAt() {
		return message().enqueuedAt();
	}

	/**
	 * The task succeeded: delete it, or keep it as completed with its result when it has a retention.
	 * Releases its unique lock.
	 * @param result the result as JSON bytes, or {@code null}
	 */
	void complete(byte @Nullable [] result);

	/**
	 * {@link #complete}, then take the worker's next task without waiting, as
	 * {@link TaskStore#dequeue(List, java.time.Duration)} does over {@code queues}, in the same round trip where
	 * the backend can. The runtime calls it instead of {@code complete} on a store's delivery when
	 * the worker may go on with its next task in the slot it holds. The default completes and takes
	 * none, which leaves the next task to the runtime's fetcher.
	 * @param result the result as JSON bytes, or {@code null}
	 * @param queues the queues to take the next task from, in order of preference
	 * @return the next task, leased, or {@code null} when none was taken
	 */
	default @Nullable Delivery completeAndTakeNext(byte @Nullable [] result, List<String> queues) {
		complete(result);
		return null;
	}

	/**
	 * The attempt failed and the task is to run again: never before {@code processAt}, and late by
	 * at most the backend's granularity (the forwarder's interval on a store, the delay structure's
	 * resolution on a broker, about a second).
	 * @param failed the task with its retry count and error updated
	 * @param processAt when to run it again
	 */
	void retry(TaskMessage failed, Instant processAt);

	/**
	 * The task failed for good: keep it in the archive (dead letter) with its error.
	 * @param failed the task with its error updated
	 */
	void archive(TaskMessage failed);

	/** Hand the task back unprocessed (the server is stopping): it stays pending, no attempt counted. */
	void requeue();

	/**
	 * Why the task could not be read, for a delivery of garbage (a missing or unparsable field, a
	 * record no Worker client wrote); {@code null} for a task that was read. The runtime archives
	 * such a delivery at once with this reason, without running a handler, so that one bad entry
	 * costs only itself. Its {@link #message()} holds what could be read (at least the id and queue).
	 */
	default @Nullable String malformed() {
		return null;
	}

	/**
	 * How many times this message has been delivered without being settled, this delivery included:
	 * 1 on a first delivery, more when a worker died or lost its connection holding it. Handing a
	 * task back with {@link #requeue()} does not count. The runtime counts each extra delivery as a
	 * failed attempt, so a task that crashes its worker every time is archived in the end.
	 */
	default int deliveryCount() {
		return 1;
	}

	/**
	 * Extend the lease this worker holds on the task, or on a broker check that the delivery can
	 * still be settled (its channel is open, its partition still assigned).
	 * @return {@code false} when the lease was lost (the task may run elsewhere now): the runtime
	 *     interrupts the handler and leaves the task unsettled
	 */
	default boolean extendLease() {
		return true;
	}

	/** Store the handler's progress report. */
	default void reportProgress(int percent, @Nullable String message) {
	}

}
