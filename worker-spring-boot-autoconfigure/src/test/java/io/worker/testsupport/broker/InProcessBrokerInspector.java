package io.worker.testsupport.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.WorkerInfo;
import io.worker.spi.Capability;
import io.worker.spi.TaskMessage;

/**
 * What an {@link InProcessBroker} can answer, as a real broker: ready, unacked and archived counts,
 * the archive page by page, re-run and delete of archived tasks, and a cancel broadcast. It keeps
 * no index of waiting tasks and no daily counters, so the operations that need them are refused
 * and the scheduled and retry states are left unknown.
 */
final class InProcessBrokerInspector implements TaskInspector {

	private final InProcessBroker broker;

	InProcessBrokerInspector(InProcessBroker broker) {
		this.broker = broker;
	}

	@Override
	public List<QueueInfo> queues() {
		List<QueueInfo> queues = new ArrayList<>();
		this.broker.counts().forEach((queue, counts) -> queues.add(info(queue, counts)));
		return queues;
	}

	@Override
	public QueueInfo queue(String queue) {
		return info(queue, this.broker.counts().getOrDefault(queue, new int[3]));
	}

	@Override
	public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
		if (state != TaskState.ARCHIVED) {
			throw refused(Capability.LIST_TASKS, "listing " + state.name().toLowerCase() + " tasks");
		}
		List<TaskMessage> archived = new ArrayList<>(this.broker.archived(queue));
		Collections.reverse(archived);
		return archived.stream().skip((long) page * size).limit(size).map(InProcessBrokerInspector::detail).toList();
	}

	@Override
	public Optional<TaskDetail> task(String queue, String id) {
		throw refused(Capability.FIND_TASK, "finding a task by id");
	}

	@Override
	public void runTask(String queue, String id) {
		if (!this.broker.rerunArchived(queue, id)) {
			throw new TaskNotFoundException(queue, id);
		}
	}

	@Override
	public void archiveTask(String queue, String id) {
		throw refused(Capability.MANAGE_WAITING, "archiving a waiting task");
	}

	@Override
	public void deleteTask(String queue, String id) {
		if (!this.broker.deleteArchived(queue, id)) {
			throw new TaskNotFoundException(queue, id);
		}
	}

	@Override
	public void cancelTask(String id) {
		this.broker.broadcastCancel(id);
	}

	@Override
	public void pauseQueue(String queue) {
		throw refused(Capability.PAUSE, "pausing a queue");
	}

	@Override
	public void resumeQueue(String queue) {
		throw refused(Capability.PAUSE, "resuming a queue");
	}

	@Override
	public List<WorkerInfo> workers() {
		return List.of();
	}

	private UnsupportedOperationByBackendException refused(Capability capability, String what) {
		return new UnsupportedOperationByBackendException(this.broker.name(), capability.name(), what);
	}

	private static QueueInfo info(String queue, int[] counts) {
		Map<TaskState, Long> sizes = new EnumMap<>(TaskState.class);
		sizes.put(TaskState.PENDING, (long) counts[0]);
		sizes.put(TaskState.ACTIVE, (long) counts[1]);
		sizes.put(TaskState.ARCHIVED, (long) counts[2]);
		return new QueueInfo(queue, false, sizes, 0, 0);
	}

	private static TaskDetail detail(TaskMessage task) {
		return new TaskDetail(task.id(), task.type(), task.queue(), TaskState.ARCHIVED,
				new String(task.payload(), StandardCharsets.UTF_8), task.headers(), task.retried(),
				task.maxRetries(), task.timeout(), task.deadline(), task.enqueuedAt(), null, task.lastError(),
				task.lastFailedAt(), null, null, null, null, task.key(), null);
	}

}
