package io.worker.backend.redis;

import java.util.Map;

import io.worker.spi.QueueRateLimiter;
import io.worker.spi.RateLimit;

/**
 * Holds queue rate limits across every instance sharing the namespace with a fixed window counter
 * per queue, opened by the window's first start and expiring with it.
 * <p>
 * Checking for a permit and counting a start are two calls, so instances that check at the same
 * moment may all start: a window can overshoot its permits by at most the number of workers that
 * check concurrently. A fixed window also allows up to twice the permits across a window
 * boundary.
 */
final class RedisQueueRateLimiter implements QueueRateLimiter {

	private final RedisScripts redis;

	private final RedisKeys keys;

	private final Map<String, RateLimit> limits;

	RedisQueueRateLimiter(RedisScripts redis, RedisKeys keys, Map<String, RateLimit> limits) {
		this.redis = redis;
		this.keys = keys;
		this.limits = Map.copyOf(limits);
	}

	@Override
	public boolean hasPermit(String queue) {
		RateLimit limit = this.limits.get(queue);
		if (limit == null) {
			return true;
		}
		byte[] started = this.redis
			.execute((connection) -> connection.stringCommands().get(RedisTaskCodec.bytes(this.keys.rate(queue))));
		return started == null || Long.parseLong(RedisTaskCodec.text(started)) < limit.permits();
	}

	@Override
	public void recordStart(String queue) {
		RateLimit limit = this.limits.get(queue);
		if (limit != null) {
			this.redis.evalLong(RedisScripts.RATE.keys(this.keys.rate(queue)).args(limit.period().toMillis()));
		}
	}

}
