package io.worker.backend.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.worker.WorkerInfo;
import io.worker.spi.WorkerRegistry;

/**
 * The live worker servers of a namespace: each registers a hash with a TTL, and its id in a zset
 * scored by when that registration expires, so listing the live ones never scans the keyspace.
 */
final class RedisWorkerRegistry implements WorkerRegistry {

	private final RedisScripts redis;

	private final RedisKeys keys;

	private final Clock clock;

	RedisWorkerRegistry(RedisScripts redis, RedisKeys keys, Clock clock) {
		this.redis = redis;
		this.keys = keys;
		this.clock = clock;
	}

	@Override
	public void heartbeat(WorkerInfo worker, Duration ttl) {
		byte[] key = RedisTaskCodec.bytes(this.keys.worker(worker.id()));
		byte[] workers = RedisTaskCodec.bytes(this.keys.workers());
		long now = this.clock.millis();
		Map<byte[], byte[]> fields = new LinkedHashMap<>();
		List<byte[]> encoded = RedisTaskCodec.encode(worker);
		for (int i = 0; i < encoded.size(); i += 2) {
			fields.put(encoded.get(i), encoded.get(i + 1));
		}
		this.redis.pipelined((connection) -> {
			// replaced whole: a queue the worker dropped must not linger
			connection.keyCommands().del(key);
			connection.hashCommands().hMSet(key, fields);
			connection.keyCommands().pExpire(key, ttl.toMillis());
			connection.zSetCommands().zAdd(workers, now + ttl.toMillis(), RedisTaskCodec.bytes(worker.id()));
			connection.zSetCommands().zRemRangeByScore(workers, Double.NEGATIVE_INFINITY, now);
		});
	}

	@Override
	public void unregister(String workerId) {
		this.redis.pipelined((connection) -> {
			connection.keyCommands().del(RedisTaskCodec.bytes(this.keys.worker(workerId)));
			connection.zSetCommands().zRem(RedisTaskCodec.bytes(this.keys.workers()), RedisTaskCodec.bytes(workerId));
		});
	}

	List<WorkerInfo> workers() {
		long now = this.clock.millis();
		Set<byte[]> ids = this.redis.execute((connection) -> connection.zSetCommands()
			.zRangeByScore(RedisTaskCodec.bytes(this.keys.workers()), now, Double.POSITIVE_INFINITY));
		if (ids == null || ids.isEmpty()) {
			return List.of();
		}
		List<Object> hashes = this.redis.pipelined((connection) -> ids.forEach((id) -> connection.hashCommands()
			.hGetAll(RedisTaskCodec.bytes(this.keys.worker(RedisTaskCodec.text(id))))));
		List<WorkerInfo> live = new ArrayList<>();
		for (Object hash : hashes) {
			@SuppressWarnings("unchecked")
			Map<byte[], byte[]> fields = (Map<byte[], byte[]>) hash;
			if (!fields.isEmpty()) {
				live.add(RedisTaskCodec.decodeWorker(RedisTaskCodec.toMap(fields)));
			}
		}
		return live;
	}

}
