package io.worker.runtime;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts running in this process, so that they can be cancelled, have their leases extended,
 * and be stopped at shutdown.
 */
public final class ActiveTasks {

	private final Set<RunningTask> running = ConcurrentHashMap.newKeySet();

	void add(RunningTask task) {
		this.running.add(task);
	}

	void remove(RunningTask task) {
		this.running.remove(task);
	}

	/**
	 * Cancel a task if it runs here: its handler is interrupted and it is archived, not retried.
	 * @return whether the task was running here
	 */
	public boolean cancel(String taskId) {
		boolean found = false;
		for (RunningTask task : this.running) {
			if (task.taskId().equals(taskId)) {
				task.stop(StopReason.CANCELLED);
				found = true;
			}
		}
		return found;
	}

	/** How many attempts are running. */
	public int size() {
		return this.running.size();
	}

	Collection<RunningTask> all() {
		return Collections.unmodifiableCollection(this.running);
	}

	void stopAll(StopReason reason) {
		this.running.forEach((task) -> task.stop(reason));
	}

}
