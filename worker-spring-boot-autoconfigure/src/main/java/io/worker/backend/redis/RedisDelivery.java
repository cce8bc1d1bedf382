package io.worker.backend.redis;

import java.time.Instant;

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
		long retention = (this.message.retention() != null) ? this.message.retention().toMillis() : 0;
		if (!this.store.completions().complete(this.message.queue(), this.message.id(), this.token, retention,
				(result != null) ? result : new byte[0])) {
			lostLease("completed");
		}
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
