package io.worker.bench;

import java.util.List;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The harness's own view of the benchmark Redis: reads its memory and deletes the keys a run
 * created. It only ever touches keys under a bench prefix; it never flushes a database.
 */
public final class BenchRedis implements AutoCloseable {

	private final String uri;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	/**
	 * Connect to the Redis at {@code uri}.
	 * @throws IllegalStateException when it cannot be reached, saying where it was looked for
	 */
	public BenchRedis(String uri) {
		this.uri = uri;
		this.client = RedisClient.create(uri);
		try {
			this.connection = this.client.connect();
		}
		catch (RedisConnectionException ex) {
			this.client.shutdown();
			throw new IllegalStateException("No Redis at " + uri + ": start one (redis-server) or pass --redis=URI", ex);
		}
	}

	/** The Redis URI, for the clients a subject makes. */
	public String uri() {
		return this.uri;
	}

	/** A client for a subject's own connections, shut down by the subject. */
	public RedisClient newClient() {
		return RedisClient.create(this.uri);
	}

	/** Redis's {@code used_memory} from {@code INFO memory}. */
	public long usedMemory() {
		String info = this.connection.sync().info("memory");
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("used_memory:")) {
				return Long.parseLong(line.substring("used_memory:".length()).trim());
			}
		}
		throw new IllegalStateException("INFO memory has no used_memory");
	}

	/** {@code redis-server}'s version, from {@code INFO server}. */
	public String version() {
		String info = this.connection.sync().info("server");
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("redis_version:")) {
				return line.substring("redis_version:".length()).trim();
			}
		}
		return "unknown";
	}

	/**
	 * Delete every key that starts with {@code prefix} (SCAN and DEL, never a flush).
	 * @return how many were deleted
	 */
	public long deleteKeys(String prefix) {
		if (!prefix.startsWith("bench")) {
			throw new IllegalArgumentException("Refusing to delete keys outside a bench prefix: " + prefix);
		}
		RedisCommands<String, String> redis = this.connection.sync();
		ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1000);
		long deleted = 0;
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> page = redis.scan(cursor, match);
			List<String> keys = page.getKeys();
			if (!keys.isEmpty()) {
				deleted += redis.del(keys.toArray(String[]::new));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
		return deleted;
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
