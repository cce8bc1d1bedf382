package io.worker.runtime;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts running in this process, so that they can be cancelled, have their leases extended,
 * and be stopped at shutdown.
 */
public final class ActiveTasks {

	private final Map<String, RunningTask> running = new ConcurrentHashMap<>();

	void add(RunningTask task) {
		this.running.put(task.taskId(), task);
	}

	void remove(RunningTask task) {
		this.running.remove(task.taskId(), task);
	}

	/**
	 * Cancel a task if it runs here: its handler is interrupted and it is archived, not retried.
	 * @return whether the task was running here
	 */
	public boolean cancel(String taskId) {
		RunningTask task = this.running.get(taskId);
		if (task == null) {
			return false;
		}
		task.stop(StopReason.CANCELLED);
		return true;
	}

	/** How many attempts are running. */
	public int size() {
		return this.running.size();
	}

	Collection<RunningTask> all() {
		return Collections.unmodifiableCollection(this.running.values());
	}

	void stopAll(StopReason reason) {
		this.running.values().forEach((task) -> task.stop(reason));
	}

}
