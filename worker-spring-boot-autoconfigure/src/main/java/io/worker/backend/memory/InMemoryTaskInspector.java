package io.worker.backend.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.TaskMessage;

/**
 * The {@link TaskInspector} over an {@link InMemoryTaskStore}.
 */
final class InMemoryTaskInspector implements TaskInspector {

	private static final Comparator<StoredTask> OLDEST_FIRST = Comparator.comparingLong((task) -> task.sequence);

	private static final Comparator<StoredTask> DUE_FIRST = Comparator
		.comparing((StoredTask task) -> task.readyAt)
		.thenComparingLong((task) -> task.sequence);

	private static final Comparator<StoredTask> NEWEST_FINISHED_FIRST = Comparator
		.comparing((StoredTask task) -> task.finishedAt, Comparator.nullsLast(Comparator.reverseOrder()))
		.thenComparing(OLDEST_FIRST.reversed());

	private final InMemoryTaskStore store;

	InMemoryTaskInspector(InMemoryTaskStore store) {
		this.store = store;
	}

	@Override
	public List<QueueInfo> queues() {
		return this.store.locked(() -> this.store.queues.values().stream().map(this::info).toList());
	}

	@Override
	public QueueInfo queue(String queue) {
		return this.store.locked(() -> {
			QueueState state = this.store.queues.get(queue);
			return (state != null) ? info(state) : info(new QueueState(queue));
		});
	}

	private QueueInfo info(QueueState queue) {
		Map<TaskState, Long> sizes = new EnumMap<>(TaskState.class);
		for (TaskState state : TaskState.values()) {
			if (state != TaskState.DISCARDED) {
				sizes.put(state, 0L);
			}
		}
		queue.tasks.values().forEach((task) -> sizes.merge(task.state, 1L, Long::sum));
		long[] today = queue.counts(InMemoryTaskStore.day(this.store.clock.instant()));
		return new QueueInfo(queue.name, queue.paused, sizes, today[0], today[1]);
	}

	@Override
	public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
		if (page < 0 || size < 1) {
			throw new IllegalArgumentException("page must be at least 0 and size at least 1");
		}
		return this.store.locked(() -> {
			QueueState queueState = this.store.queues.get(queue);
			if (queueState == null) {
				return List.<TaskDetail>of();
			}
			List<StoredTask> matching = new ArrayList<>(
					queueState.tasks.values().stream().filter((task) -> task.state == state).toList());
			if (state == TaskState.PENDING) {
				matching = new ArrayList<>(queueState.pending);
			}
			else {
				matching.sort(switch (state) {
					case SCHEDULED, RETRY -> DUE_FIRST;
					case ARCHIVED, COMPLETED -> NEWEST_FINISHED_FIRST;
					default -> OLDEST_FIRST;
				});
			}
			return matching.stream().skip((long) page * size).limit(size).map(this::detail).toList();
		});
	}

	@Override
	public Optional<TaskDetail> task(String queue, String id) {
		return this.store.locked(() -> Optional.ofNullable(find(queue, id)).map(this::detail));
	}

	@Override
	public void runTask(String queue, String id) {
		act(queue, id, (queueState, task) -> {
			switch (task.state) {
				case SCHEDULED, RETRY, ARCHIVED -> {
					queueState.waiting.remove(task);
					task.state = TaskState.PENDING;
					task.readyAt = this.store.clock.instant();
					queueState.pending.addLast(task);
					this.store.signalAvailable();
				}
				default -> throw notAllowed("run", task);
			}
		});
	}

	@Override
	public void archiveTask(String queue, String id) {
		act(queue, id, (queueState, task) -> {
			switch (task.state) {
				case PENDING, SCHEDULED, RETRY -> {
					queueState.pending.remove(task);
					queueState.waiting.remove(task);
					task.state = TaskState.ARCHIVED;
					task.finishedAt = this.store.clock.instant();
					if (task.message.lastError() == null) {
						task.message = task.message.withError("archived by an operator", task.finishedAt);
					}
				}
				default -> throw notAllowed("archive", task);
			}
		});
	}

	@Override
	public void deleteTask(String queue, String id) {
		act(queue, id, (queueState, task) -> {
			if (task.state == TaskState.ACTIVE) {
				throw notAllowed("delete", task);
			}
			queueState.pending.remove(task);
			queueState.waiting.remove(task);
			queueState.tasks.remove(id);
			this.store.releaseUniqueLock(task.message);
		});
	}

	@Override
	public void cancelTask(String id) {
		this.store.cancel(id);
	}

	@Override
	public void pauseQueue(String queue) {
		this.store.locked(() -> this.store.queue(queue).paused = true);
	}

	@Override
	public void resumeQueue(String queue) {
		this.store.locked(() -> {
			this.store.queue(queue).paused = false;
			this.store.signalAvailable();
			return null;
		});
	}

	@Override
	public List<WorkerInfo> workers() {
		Instant now = this.store.clock.instant();
		return this.store.locked(() -> this.store.workers.values()
			.stream()
			.filter((registration) -> registration.expiresAt().isAfter(now))
			.map(InMemoryTaskStore.Registration::worker)
			.toList());
	}

	private void act(String queue, String id, java.util.function.BiConsumer<QueueState, StoredTask> action) {
		this.store.locked(() -> {
			StoredTask task = find(queue, id);
			if (task == null) {
				throw new TaskNotFoundException(queue, id);
			}
			action.accept(this.store.queues.get(queue), task);
			return null;
		});
	}

	private StoredTask find(String queue, String id) {
		QueueState queueState = this.store.queues.get(queue);
		return (queueState != null) ? queueState.tasks.get(id) : null;
	}

	private TaskDetail detail(StoredTask task) {
		TaskMessage message = task.message;
		Instant next = switch (task.state) {
			case PENDING, SCHEDULED, RETRY -> task.readyAt;
			default -> null;
		};
		return new TaskDetail(message.id(), message.type(), message.queue(), task.state,
				io.worker.runtime.PayloadCodec.text(message.payload()), message.headers(), message.retried(),
				message.maxRetries(), message.timeout(), message.deadline(), message.enqueuedAt(), next,
				message.lastError(), message.lastFailedAt(), task.progress, task.progressMessage,
				(task.result != null) ? io.worker.runtime.PayloadCodec.text(task.result) : null,
				(task.state == TaskState.COMPLETED) ? task.finishedAt : null, message.key(), null);
	}

	private static IllegalStateException notAllowed(String operation, StoredTask task) {
		return new IllegalStateException("Cannot " + operation + " task '" + task.id() + "' in queue '"
				+ task.message.queue() + "': it is " + task.state);
	}

}
