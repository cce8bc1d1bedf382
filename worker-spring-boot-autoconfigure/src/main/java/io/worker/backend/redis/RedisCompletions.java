package io.worker.backend.redis;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.worker.spi.Delivery;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReturnType;

/**
 * Settles successful deliveries in groups: completions that finish while another group is on its
 * way to Redis wait for it, then go together, one {@code complete} script call per queue, all in
 * one pipeline. Each caller still returns only once its own task is settled (or the settlement
 * failed), and each task is still fenced by its own delivery token, so nothing changes but the
 * number of calls. The thread of the first completion sends the group; when it is done and more
 * wait, the oldest waiting thread takes over, so no thread sends for others for long. The same
 * script call takes the next pending task of the queue for each worker that asked for one, so a
 * worker that finishes a task and goes on with the queue makes one round trip, not two.
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
	 * @param takeNext whether to take the queue's next pending task for the caller as well
	 * @return whether it was settled, and the next task when one was asked for and the queue had one
	 */
	Settled complete(String queue, String id, String token, long retentionMillis, byte[] result, boolean takeNext) {
		Completion completion = new Completion(queue, id, token, retentionMillis, result, takeNext);
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
			String token = RedisTaskStore.newToken();
			List<RedisScripts.Call> calls = new ArrayList<>();
			byQueue.forEach((queue, completions) -> {
				long wanted = completions.stream().filter((completion) -> completion.takeNext).count();
				RedisScripts.Call call = RedisScripts.COMPLETE
					.keys(keys.lease(queue), keys.completed(queue), keys.processed(queue, this.store.today()),
							keys.pending(queue), keys.paused(queue))
					.args(now, RedisTaskStore.COUNTER_TTL_SECONDS, keys.queuePrefix(queue), wanted,
							this.store.leaseExpiry(), token, queue);
				completions.forEach((completion) -> call.args(completion.id, completion.token,
						completion.retentionMillis, completion.result));
				calls.add(call);
			});
			List<Object> replies = this.store.scripts().evalPipelined(calls, ReturnType.MULTI);
			int c = 0;
			for (Map.Entry<String, List<Completion>> entry : byQueue.entrySet()) {
				List<?> reply = (List<?>) replies.get(c++);
				List<?> codes = (List<?>) reply.get(0);
				Iterator<Delivery> taken = this.store.deliveries(entry.getKey(), token, (List<?>) reply.get(1)).iterator();
				List<Completion> completions = entry.getValue();
				for (int i = 0; i < completions.size(); i++) {
					Completion completion = completions.get(i);
					Delivery next = (completion.takeNext && taken.hasNext()) ? taken.next() : null;
					completion.settled.complete(new Settled(Long.valueOf(1).equals(codes.get(i)), next));
					completion.wake.complete(null);
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

		final boolean takeNext;

		final CompletableFuture<Settled> settled = new CompletableFuture<>();

		/** Completed once this completion is settled, or when its thread is to send the next group. */
		final CompletableFuture<Void> wake = new CompletableFuture<>();

		Completion(String queue, String id, String token, long retentionMillis, byte[] result, boolean takeNext) {
			this.queue = queue;
			this.id = id;
			this.token = token;
			this.retentionMillis = retentionMillis;
			this.result = result;
			this.takeNext = takeNext;
		}

	}

	/**
	 * What a completion came to.
	 * @param settled whether the task was settled; {@code false} when its lease was lost
	 * @param next the caller's next task, leased, when it asked for one and the queue had one
	 */
	record Settled(boolean settled, @Nullable Delivery next) {

	}

}
