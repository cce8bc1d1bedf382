package io.worker.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.WorkerInfo;
import io.worker.TaskState;

/**
 * The {@link TaskInspector} of a switched-off Worker: it sees no queue and no task.
 */
public final class DisabledTaskInspector implements TaskInspector {

	@Override
	public List<QueueInfo> queues() {
		return List.of();
	}

	@Override
	public QueueInfo queue(String queue) {
		return new QueueInfo(queue, false, Map.of(), 0, 0);
	}

	@Override
	public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
		return List.of();
	}

	@Override
	public Optional<TaskDetail> task(String queue, String id) {
		return Optional.empty();
	}

	@Override
	public void runTask(String queue, String id) {
		throw new TaskNotFoundException(queue, id);
	}

	@Override
	public void archiveTask(String queue, String id) {
		throw new TaskNotFoundException(queue, id);
	}

	@Override
	public void deleteTask(String queue, String id) {
		throw new TaskNotFoundException(queue, id);
	}

	@Override
	public void cancelTask(String id) {
	}

	@Override
	public void pauseQueue(String queue) {
		throw new IllegalStateException("Worker is switched off: there is no queue to pause");
	}

	@Override
	public void resumeQueue(String queue) {
		throw new IllegalStateException("Worker is switched off: there is no queue to resume");
	}

	@Override
	public List<WorkerInfo> workers() {
		return List.of();
	}

}
