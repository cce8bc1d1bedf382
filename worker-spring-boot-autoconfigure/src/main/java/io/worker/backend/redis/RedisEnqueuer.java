package io.worker.backend.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.worker.TaskConflictException;
import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskMessage;

import org.springframework.data.redis.connection.ReturnType;

/**
 * Stores new tasks: the tasks of one queue go in one {@code enqueue} script call per
 * {@value #CHUNK} tasks (their keys share the queue's hash tag, so one call may touch them all in a
 * Redis Cluster), and the calls of every queue in a batch go in one pipeline: one round trip.
 */
final class RedisEnqueuer {

	/** The most tasks one script call stores, so that a huge batch does not hold Redis for long. */
	static final int CHUNK = 500;

	private final RedisKeys keys;

	private final RedisScripts scripts;

	private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

	RedisEnqueuer(RedisKeys keys, RedisScripts scripts) {
		this.keys = keys;
		this.scripts = scripts;
	}

	List<EnqueueResult> enqueue(List<EnqueueRequest> requests, Instant now) {
		EnqueueResult[] results = new EnqueueResult[requests.size()];
		Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
		for (int i = 0; i < requests.size(); i++) {
			String queue = requests.get(i).message().queue();
			String unusable = RedisKeys.unusableQueueName(queue);
			if (unusable != null) {
				results[i] = EnqueueResult.refused(new TaskEnqueueException(
						"The redis backend cannot use queue name '" + queue + "': " + unusable));
			}
			else {
				byQueue.computeIfAbsent(queue, (key) -> new ArrayList<>()).add(i);
			}
		}
		List<List<Integer>> chunks = new ArrayList<>();
		List<RedisScripts.Call> calls = new ArrayList<>();
		byQueue.forEach((queue, indexes) -> {
			for (int from = 0; from < indexes.size(); from += CHUNK) {
				List<Integer> chunk = indexes.subList(from, Math.min(from + CHUNK, indexes.size()));
				chunks.add(chunk);
				calls.add(call(queue, chunk, requests, now));
			}
		});
		List<Object> replies;
		try {
			byQueue.keySet().forEach(this::registerQueue);
			replies = calls.isEmpty() ? List.of() : this.scripts.evalPipelined(calls, ReturnType.MULTI);
		}
		catch (RuntimeException ex) {
			// the outcome is unknown: report every task as not stored rather than drop any silently
			replies = null;
			for (List<Integer> chunk : chunks) {
				chunk.forEach((i) -> results[i] = EnqueueResult.refused(notStored(requests.get(i).message(), ex)));
			}
		}
		for (int c = 0; replies != null && c < chunks.size(); c++) {
			List<Integer> chunk = chunks.get(c);
			Object reply = replies.get(c);
			for (int j = 0; j < chunk.size(); j++) {
				int i = chunk.get(j);
				results[i] = result(requests.get(i), now, (Long) ((List<?>) reply).get(j));
			}
		}
		return List.of(results);
	}

	private RedisScripts.Call call(String queue, List<Integer> chunk, List<EnqueueRequest> requests, Instant now) {
		RedisScripts.Call call = RedisScripts.ENQUEUE.keys(this.keys.pending(queue), this.keys.scheduled(queue))
			.args(now.toEpochMilli(), this.keys.wakeupChannel(), queue, this.keys.queuePrefix(queue));
		for (int i : chunk) {
			EnqueueRequest request = requests.get(i);
			TaskMessage message = request.message();
			Instant dueAt = dueAt(request, now);
			boolean scheduled = dueAt.isAfter(now);
			boolean unique = message.uniqueKey() != null && message.uniqueTtl() != null;
			List<byte[]> fields = RedisTaskCodec.encode(message);
			fields.add(RedisTaskCodec.bytes("state"));
			fields.add(RedisTaskCodec.bytes(scheduled ? "scheduled" : "pending"));
			if (scheduled) {
				// a task pending at once became ready when enqueued: its enqueued_at says when
				fields.add(RedisTaskCodec.bytes("next_at"));
				fields.add(RedisTaskCodec.bytes(Long.toString(dueAt.toEpochMilli())));
			}
			call.args(message.id(), scheduled ? dueAt.toEpochMilli() : 0,
					unique ? now.toEpochMilli() + Math.max(1, message.uniqueTtl().toMillis()) : 0,
					unique ? message.uniqueKey() : "", fields.size())
				.args(fields);
		}
		return call;
	}

	private static EnqueueResult result(EnqueueRequest request, Instant now, long code) {
		TaskMessage message = request.message();
		if (code == -1) {
			return EnqueueResult.refused(new TaskConflictException(
					"A task with id '" + message.id() + "' already exists in queue '" + message.queue() + "'"));
		}
		if (code == -2) {
			return EnqueueResult.refused(new TaskConflictException("Unique task '" + message.type() + "' in queue '"
					+ message.queue() + "' is still held by an earlier task (key '" + message.uniqueKey() + "')"));
		}
		Instant dueAt = dueAt(request, now);
		TaskState state = dueAt.isAfter(now) ? TaskState.SCHEDULED : TaskState.PENDING;
		return EnqueueResult.stored(new TaskInfo(message.id(), message.type(), message.queue(), state, dueAt));
	}

	private static Instant dueAt(EnqueueRequest request, Instant now) {
		Instant processAt = request.processAt();
		return (processAt != null && processAt.isAfter(now)) ? processAt : now;
	}

	private static TaskEnqueueException notStored(TaskMessage message, RuntimeException ex) {
		return new TaskEnqueueException("Redis did not store task '" + message.id() + "' of queue '"
				+ message.queue() + "': " + ex.getMessage(), ex);
	}

	private void registerQueue(String queue) {
		if (this.registeredQueues.add(queue)) {
			try {
				this.scripts.execute((connection) -> connection.setCommands()
					.sAdd(RedisTaskCodec.bytes(this.keys.queues()), RedisTaskCodec.bytes(queue)));
			}
			catch (RuntimeException ex) {
				this.registeredQueues.remove(queue);
				throw ex;
			}
		}
	}

}
