package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.WorkerInfo;
import io.worker.spi.Capability;
import io.worker.spi.TaskMessage;

/**
 * What the Kafka backend can answer: pending tasks as the group's lag on the queue topic (less
 * those running here), active tasks as those this instance holds unsettled, the archive counted,
 * listed newest first, re-run and deleted, cancellations broadcast, queues paused and resumed on
 * every instance, and the workers from their heartbeats. Kafka keeps no index of waiting tasks, so
 * finding a task by id, listing pending, scheduled or retry tasks, and archiving or deleting a
 * waiting task are refused.
 */
final class KafkaTaskInspector implements TaskInspector {

	private final KafkaTopics topics;

	private final KafkaTopicNames names;

	private final String prefix;

	private final String groupId;

	private final KafkaArchive archive;

	private final KafkaCancelChannel cancel;

	private final KafkaPauses pauses;

	private final KafkaWorkerRegistry workers;

	private final ToIntFunction<String> activeHere;

	/**
	 * @param activeHere how many tasks of a queue this instance holds unsettled
	 */
	KafkaTaskInspector(KafkaTopics topics, KafkaTopicNames names, String prefix, String groupId, KafkaArchive archive,
			KafkaCancelChannel cancel, KafkaPauses pauses, KafkaWorkerRegistry workers,
			ToIntFunction<String> activeHere) {
		this.topics = topics;
		this.names = names;
		this.prefix = prefix + ".";
		this.groupId = groupId;
		this.archive = archive;
		this.cancel = cancel;
		this.pauses = pauses;
		this.workers = workers;
		this.activeHere = activeHere;
	}

	@Override
	public List<QueueInfo> queues() {
		List<QueueInfo> queues = new ArrayList<>();
		this.topics.names()
			.stream()
			.filter((topic) -> topic.startsWith(this.prefix) && !topic.endsWith(".archive")
					&& !topic.startsWith(this.prefix + "delay.") && !this.names.isOwn(topic))
			.sorted()
			.forEach((topic) -> queues.add(queue(this.names.queueOf(topic))));
		return queues;
	}

	@Override
	public QueueInfo queue(String queue) {
		long active = this.activeHere.applyAsInt(queue);
		long lag = this.topics.lag(this.names.queue(queue), this.groupId);
		Map<TaskState, Long> sizes = new EnumMap<>(TaskState.class);
		for (TaskState state : TaskState.values()) {
			if (state != TaskState.DISCARDED) {
				sizes.put(state, 0L);
			}
		}
		sizes.put(TaskState.PENDING, Math.max(0, lag - active));
		sizes.put(TaskState.ACTIVE, active);
		sizes.put(TaskState.ARCHIVED, this.archive.count(queue));
		return new QueueInfo(queue, this.pauses.isPaused(queue), sizes, 0, 0);
	}

	@Override
	public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
		if (state != TaskState.ARCHIVED) {
			throw refused(Capability.LIST_TASKS, "listing " + state.name().toLowerCase() + " tasks");
		}
		return this.archive.tasks(queue)
			.stream()
			.skip((long) page * size)
			.limit(size)
			.map(KafkaTaskInspector::archived)
			.toList();
	}

	@Override
	public Optional<TaskDetail> task(String queue, String id) {
		throw refused(Capability.FIND_TASK, "finding a task by id");
	}

	@Override
	public void runTask(String queue, String id) {
		this.archive.rerun(queue, id);
	}

	@Override
	public void archiveTask(String queue, String id) {
		throw refused(Capability.MANAGE_WAITING, "archiving a waiting task");
	}

	@Override
	public void deleteTask(String queue, String id) {
		this.archive.delete(queue, id);
	}

	@Override
	public void cancelTask(String id) {
		this.cancel.publish(id);
	}

	@Override
	public void pauseQueue(String queue) {
		this.pauses.pause(queue);
	}

	@Override
	public void resumeQueue(String queue) {
		this.pauses.resume(queue);
	}

	@Override
	public List<WorkerInfo> workers() {
		return this.workers.workers();
	}

	private static UnsupportedOperationByBackendException refused(Capability capability, String what) {
		return new UnsupportedOperationByBackendException("kafka", capability.name(), what);
	}

	private static TaskDetail archived(TaskMessage task) {
		return new TaskDetail(task.id(), task.type(), task.queue(), TaskState.ARCHIVED,
				new String(task.payload(), StandardCharsets.UTF_8), task.headers(), task.retried(), task.maxRetries(),
				task.timeout(), task.deadline(), task.enqueuedAt(), null, task.lastError(), task.lastFailedAt(), null,
				null, null, null, task.key(), null);
	}

}
