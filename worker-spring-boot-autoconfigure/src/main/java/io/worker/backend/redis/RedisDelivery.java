package io.worker.backend.redis;

import java.time.Instant;
import java.util.List;

import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task taken from Redis under a lease. Every settling script is fenced by this delivery's token:
 * once the lease is lost (the task was recovered, and may run elsewhere) they change nothing.
 */
final class RedisDelivery implements Delivery {

	private static final Logger logger = LoggerFactory.getLogger(RedisDelivery.class);

	private final RedisTaskStore store;

	private final TaskMessage message;

	private final String token;

	private final String taskKey;

	private final Instant readyAt;

	private final @Nullable String malformed;

	RedisDelivery(RedisTaskStore store, TaskMessage message, String token, Instant readyAt,
			@Nullable String malformed) {
		this.store = store;
		this.message = message;
		this.malformed = malformed;
		this.token = token;
		this.readyAt = readyAt;
		this.taskKey = store.keys().task(message.queue(), message.id());
	}

	@Override
	public TaskMessage message() {
		return this.message;
	}

	@Override
	public Instant readyAt() {
		return this.readyAt;
	}

	@Override
	public @Nullable String malformed() {
		return this.malformed;
	}

	@Override
	public void complete(byte @Nullable [] result) {
		settleCompleted(result, false);
	}

	/**
	 * Complete, and take the next task in the same script call when the worker's pick starts with
	 * this task's queue (a script reaches one queue's keys only, which share a cluster slot); else,
	 * or when that queue has none, take it from the pick's other queues, in order.
	 */
	@Override
	public @Nullable Delivery completeAndTakeNext(byte @Nullable [] result, List<String> queues) {
		boolean sameQueueFirst = !queues.isEmpty() && queues.get(0).equals(this.message.queue());
		Delivery next = settleCompleted(result, sameQueueFirst);
		if (next != null) {
			return next;
		}
		try {
			List<Delivery> taken = this.store.take(sameQueueFirst ? queues.subList(1, queues.size()) : queues, 1);
			return taken.isEmpty() ? null : taken.get(0);
		}
		catch (RuntimeException ex) {
			// the task is settled; the fetch loop takes the next one, and reports a failing backend
			return null;
		}
	}

	private @Nullable Delivery settleCompleted(byte @Nullable [] result, boolean takeNext) {
		long retention = (this.message.retention() != null) ? this.message.retention().toMillis() : 0;
		RedisCompletions.Settled settled = this.store.completions().complete(this.message.queue(), this.message.id(),
				this.token, retention, (result != null) ? result : new byte[0], takeNext);
		if (!settled.settled()) {
			lostLease("completed");
		}
		return settled.next();
	}

	@Override
	public void retry(TaskMessage failed, Instant processAt) {
		RedisKeys keys = this.store.keys();
		String queue = this.message.queue();
		settled("retried", RedisScripts.RETRY
			.keys(this.taskKey, keys.lease(queue), keys.retry(queue), keys.processed(queue, this.store.today()),
					keys.failed(queue, this.store.today()))
			.args(this.message.id(), this.token, processAt.toEpochMilli(), RedisTaskStore.COUNTER_TTL_SECONDS)
			.args(RedisTaskCodec.encodeFailure(failed)));
	}

	@Override
	public void archive(TaskMessage failed) {
		RedisKeys keys = this.store.keys();
		String queue = this.message.queue();
		settled("archived", RedisScripts.ARCHIVE
			.keys(this.taskKey, keys.lease(queue), keys.archived(queue), keys.processed(queue, this.store.today()),
					keys.failed(queue, this.store.today()))
			.args(this.message.id(), this.token, this.store.clock().millis(), RedisTaskStore.COUNTER_TTL_SECONDS)
			.args(RedisTaskCodec.encodeFailure(failed)));
	}

	@Override
	public void requeue() {
		RedisKeys keys = this.store.keys();
		String queue = this.message.queue();
		settled("requeued", RedisScripts.REQUEUE.keys(this.taskKey, keys.lease(queue), keys.pending(queue))
			.args(this.message.id(), this.token, keys.wakeupChannel(), queue));
	}

	@Override
	public boolean extendLease() {
		RedisKeys keys = this.store.keys();
		return this.store.scripts()
			.evalLong(RedisScripts.EXTEND.keys(this.taskKey, keys.lease(this.message.queue()))
				.args(this.message.id(), this.token, this.store.leaseExpiry())) == 1;
	}

	@Override
	public void reportProgress(int percent, @Nullable String message) {
		this.store.scripts()
			.evalLong(RedisScripts.PROGRESS.keys(this.taskKey).args(this.token, percent, (message != null) ? message : ""));
	}

	private void settled(String outcome, RedisScripts.Call call) {
		if (this.store.scripts().evalLong(call) == 0) {
			lostLease(outcome);
		}
	}

	private void lostLease(String outcome) {
		logger.warn("Task '{}' of queue '{}' was not {}: its lease was lost and it may run elsewhere",
				this.message.id(), this.message.queue(), outcome);
	}

}
