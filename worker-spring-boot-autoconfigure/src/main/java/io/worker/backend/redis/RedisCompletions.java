package io.worker.backend.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.data.redis.connection.ReturnType;

/**
 * Settles successful deliveries in groups: completions that finish while another group is on its
 * way to Redis wait for it, then go together, one {@code complete} script call per queue, all in
 * one pipeline. Each caller still returns only once its own task is settled (or the settlement
 * failed), and each task is still fenced by its own delivery token, so nothing changes but the
 * number of calls. The thread of the first completion sends the group; when it is done and more
 * wait, the oldest waiting thread takes over, so no thread sends for others for long.
 */
final class RedisCompletions {

	private final RedisTaskStore store;

	private final Object lock = new Object();

	private List<Completion> waiting = new ArrayList<>();

	private boolean sending;

	RedisCompletions(RedisTaskStore store) {
		this.store = store;
	}

	/**
	 * Settle one delivery as completed.
	 * @return whether it was settled; {@code false} when its lease was lost
	 */
	boolean complete(String queue, String id, String token, long retentionMillis, byte[] result) {
		Completion completion = new Completion(queue, id, token, retentionMillis, result);
		boolean lead;
		synchronized (this.lock) {
			this.waiting.add(completion);
			lead = !this.sending;
			this.sending = true;
		}
		if (!lead) {
			completion.wake.join();
			lead = !completion.settled.isDone();
		}
		if (lead) {
			send();
		}
		try {
			return completion.settled.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException failure) ? failure : ex;
		}
	}

	/** Send what waits, then hand the sending on to the oldest completion that came meanwhile. */
	private void send() {
		List<Completion> group;
		synchronized (this.lock) {
			group = this.waiting;
			this.waiting = new ArrayList<>();
		}
		try {
			settle(group);
		}
		finally {
			synchronized (this.lock) {
				if (this.waiting.isEmpty()) {
					this.sending = false;
				}
				else {
					this.waiting.get(0).wake.complete(null);
				}
			}
		}
	}

	private void settle(List<Completion> group) {
		try {
			Map<String, List<Completion>> byQueue = new LinkedHashMap<>();
			group.forEach((completion) -> byQueue.computeIfAbsent(completion.queue, (key) -> new ArrayList<>())
				.add(completion));
			RedisKeys keys = this.store.keys();
			long now = this.store.clock().millis();
			List<RedisScripts.Call> calls = new ArrayList<>();
			byQueue.forEach((queue, completions) -> {
				RedisScripts.Call call = RedisScripts.COMPLETE
					.keys(keys.lease(queue), keys.completed(queue), keys.processed(queue, this.store.today()))
					.args(now, RedisTaskStore.COUNTER_TTL_SECONDS, keys.queuePrefix(queue));
				completions.forEach((completion) -> call.args(completion.id, completion.token,
						completion.retentionMillis, completion.result));
				calls.add(call);
			});
			List<Object> replies = this.store.scripts().evalPipelined(calls, ReturnType.MULTI);
			int c = 0;
			for (List<Completion> completions : byQueue.values()) {
				List<?> codes = (List<?>) replies.get(c++);
				for (int i = 0; i < completions.size(); i++) {
					completions.get(i).settled.complete(Long.valueOf(1).equals(codes.get(i)));
					completions.get(i).wake.complete(null);
				}
			}
		}
		catch (RuntimeException ex) {
			group.forEach((completion) -> {
				completion.settled.completeExceptionally(ex);
				completion.wake.complete(null);
			});
		}
	}

	private static final class Completion {

		final String queue;

		final String id;

		final String token;

		final long retentionMillis;

		final byte[] result;

		final CompletableFuture<Boolean> settled = new CompletableFuture<>();

		/** Completed once this completion is settled, or when its thread is to send the next group. */
		final CompletableFuture<Void> wake = new CompletableFuture<>();

		Completion(String queue, String id, String token, long retentionMillis, byte[] result) {
			this.queue = queue;
			this.id = id;
			this.token = token;
			this.retentionMillis = retentionMillis;
			this.result = result;
		}

	}

}
