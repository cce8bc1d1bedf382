package io.worker;

import java.util.List;
import java.util.Optional;

/**
 * The operations API: look into queues and tasks, and act on them. Injected as a bean.
 * <p>
 * Methods that act on a task throw {@link TaskNotFoundException} when it does not exist and
 * {@link IllegalStateException} when its state does not allow the operation. Their {@code id} is
 * the task's id, or the opaque {@link TaskDetail#locator() locator} a broker gave the task in a
 * listing ({@link TaskDetail#handle()} is whichever applies). An operation the backend cannot do
 * throws {@link UnsupportedOperationByBackendException}.
 */
public interface TaskInspector {

	/** Every known queue, with its sizes per state. */
	List<QueueInfo> queues();

	/** One queue, with its sizes per state; a queue never used reports zeros. */
	QueueInfo queue(String queue);

	/**
	 * The tasks of a queue in one state, oldest first for pending, due first for scheduled and retry,
	 * newest first for archived and completed.
	 * @param queue the queue
	 * @param state the state
	 * @param page the page, starting at 0
	 * @param size the page size, at least 1
	 * @return the page of tasks
	 */
	List<TaskDetail> tasks(String queue, TaskState state, int page, int size);

	/** One task of a queue. */
	Optional<TaskDetail> task(String queue, String id);

	/** Make a scheduled, retry or archived task pending now. */
	void runTask(String queue, String id);

	/** Move a pending, scheduled or retry task to the archive. */
	void archiveTask(String queue, String id);

	/** Delete a task that is not active, releasing its unique lock. */
	void deleteTask(String queue, String id);

	/**
	 * Stop a running task for good: its handler is interrupted, wherever it runs, and the task is
	 * archived with reason "cancelled" rather than retried.
	 */
	void cancelTask(String id);

	/** Stop handing out the queue's tasks; tasks already running finish. */
	void pauseQueue(String queue);

	/** Resume a paused queue. */
	void resumeQueue(String queue);

	/** The worker servers alive now. */
	List<WorkerInfo> workers();

}
