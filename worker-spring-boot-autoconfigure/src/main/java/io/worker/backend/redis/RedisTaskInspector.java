package io.worker.backend.redis;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.WorkerInfo;

/**
 * The {@link TaskInspector} of a {@link RedisTaskStore}: reads in pipelines, and moves tasks with
 * the same kind of atomic scripts as the runtime.
 */
final class RedisTaskInspector implements TaskInspector {

	private final RedisTaskStore store;

	private final RedisKeys keys;

	private final RedisScripts redis;

	RedisTaskInspector(RedisTaskStore store) {
		this.store = store;
		this.keys = store.keys();
		this.redis = store.scripts();
	}

	@Override
	public List<QueueInfo> queues() {
		return this.store.knownQueues().stream().map(this::queue).toList();
	}

	@Override
	public QueueInfo queue(String queue) {
		LocalDate today = this.store.today();
		List<Object> replies = this.redis.pipelined((connection) -> {
			connection.listCommands().lLen(bytes(this.keys.pending(queue)));
			connection.zSetCommands().zCard(bytes(this.keys.scheduled(queue)));
			connection.zSetCommands().zCard(bytes(this.keys.lease(queue)));
			connection.zSetCommands().zCard(bytes(this.keys.retry(queue)));
			connection.zSetCommands().zCard(bytes(this.keys.archived(queue)));
			connection.zSetCommands().zCard(bytes(this.keys.completed(queue)));
			connection.keyCommands().exists(bytes(this.keys.paused(queue)));
			connection.stringCommands().get(bytes(this.keys.processed(queue, today)));
			connection.stringCommands().get(bytes(this.keys.failed(queue, today)));
		});
		Map<TaskState, Long> sizes = new EnumMap<>(TaskState.class);
		TaskState[] states = { TaskState.PENDING, TaskState.SCHEDULED, TaskState.ACTIVE, TaskState.RETRY,
				TaskState.ARCHIVED, TaskState.COMPLETED };
		for (int i = 0; i < states.length; i++) {
			sizes.put(states[i], (Long) replies.get(i));
		}
		return new QueueInfo(queue, Boolean.TRUE.equals(replies.get(6)), sizes, counter(replies.get(7)),
				counter(replies.get(8)));
	}

	private static long counter(Object reply) {
		return (reply instanceof byte[] value) ? Long.parseLong(RedisTaskCodec.text(value)) : 0;
	}

	@Override
	public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
		if (page < 0 || size < 1) {
			throw new IllegalArgumentException("page must be 0 or more and size 1 or more");
		}
		if (state == TaskState.DISCARDED) {
			return List.of();
		}
		long start = (long) page * size;
		long end = start + size - 1;
		List<Object> ids = this.redis.pipelined((connection) -> {
			switch (state) {
				case PENDING -> connection.listCommands().lRange(bytes(this.keys.pending(queue)), start, end);
				case ACTIVE -> connection.zSetCommands().zRange(bytes(this.keys.lease(queue)), start, end);
				case SCHEDULED -> connection.zSetCommands().zRange(bytes(this.keys.scheduled(queue)), start, end);
				case RETRY -> connection.zSetCommands().zRange(bytes(this.keys.retry(queue)), start, end);
				case ARCHIVED -> connection.zSetCommands().zRevRange(bytes(this.keys.archived(queue)), start, end);
				case COMPLETED -> connection.zSetCommands().zRevRange(bytes(this.keys.completed(queue)), start, end);
				default -> throw new IllegalStateException("No tasks are stored as " + state);
			}
		});
		List<String> taskIds = new ArrayList<>();
		((Iterable<?>) ids.get(0)).forEach((id) -> taskIds.add(RedisTaskCodec.text((byte[]) id)));
		if (taskIds.isEmpty()) {
			return List.of();
		}
		List<Object> hashes = this.redis.pipelined((connection) -> taskIds
			.forEach((id) -> connection.hashCommands().hGetAll(bytes(this.keys.task(queue, id)))));
		List<TaskDetail> details = new ArrayList<>();
		for (int i = 0; i < hashes.size(); i++) {
			detail(taskIds.get(i), queue, hashes.get(i)).ifPresent(details::add);
		}
		return details;
	}

	@Override
	public Optional<TaskDetail> task(String queue, String id) {
		return detail(id, queue,
				this.redis.execute((connection) -> connection.hashCommands().hGetAll(bytes(this.keys.task(queue, id)))));
	}

	/** A task's detail, or empty when it vanished between reading its id and its hash. */
	private static Optional<TaskDetail> detail(String id, String queue, Object hash) {
		@SuppressWarnings("unchecked")
		Map<byte[], byte[]> fields = (Map<byte[], byte[]>) hash;
		return (fields == null || fields.isEmpty()) ? Optional.empty()
				: Optional.of(RedisTaskCodec.detail(id, queue, RedisTaskCodec.toMap(fields)));
	}

	@Override
	public void runTask(String queue, String id) {
		check(queue, id, "run", RedisScripts.RUN.keys(taskKeys(queue, id, false))
			.args(id, this.store.clock().millis(), this.keys.wakeupChannel(), queue));
	}

	@Override
	public void archiveTask(String queue, String id) {
		check(queue, id, "archive", RedisScripts.ARCHIVE_TASK.keys(taskKeys(queue, id, false))
			.args(id, this.store.clock().millis()));
	}

	@Override
	public void deleteTask(String queue, String id) {
		check(queue, id, "delete", RedisScripts.DELETE.keys(taskKeys(queue, id, true))
			.args(id, this.keys.queuePrefix(queue)));
	}

	/** The keys the inspector's scripts take: the task hash and the keys of the states it may be in. */
	private String[] taskKeys(String queue, String id, boolean withCompleted) {
		List<String> keys = new ArrayList<>(List.of(this.keys.task(queue, id), this.keys.pending(queue),
				this.keys.scheduled(queue), this.keys.retry(queue), this.keys.archived(queue)));
		if (withCompleted) {
			keys.add(this.keys.completed(queue));
		}
		return keys.toArray(new String[0]);
	}

	private void check(String queue, String id, String operation, RedisScripts.Call call) {
		long reply = this.redis.evalLong(call);
		if (reply == 0) {
			throw new TaskNotFoundException(queue, id);
		}
		if (reply < 0) {
			String state = task(queue, id).map((task) -> task.state().name().toLowerCase(Locale.ROOT)).orElse("gone");
			throw new IllegalStateException("Cannot " + operation + " task '" + id + "' of queue '" + queue
					+ "': it is " + state);
		}
	}

	@Override
	public void cancelTask(String id) {
		this.store.cancelChannel().publish(id);
	}

	@Override
	public void pauseQueue(String queue) {
		this.redis.pipelined((connection) -> {
			connection.stringCommands().set(bytes(this.keys.paused(queue)), bytes("1"));
			connection.setCommands().sAdd(bytes(this.keys.queues()), bytes(queue));
		});
	}

	@Override
	public void resumeQueue(String queue) {
		this.redis.pipelined((connection) -> {
			connection.keyCommands().del(bytes(this.keys.paused(queue)));
			// waiters idle on the paused queue look again
			connection.publish(bytes(this.keys.wakeupChannel()), bytes(queue));
		});
	}

	@Override
	public List<WorkerInfo> workers() {
		return this.store.workers().workers();
	}

	private static byte[] bytes(String value) {
		return RedisTaskCodec.bytes(value);
	}

}
