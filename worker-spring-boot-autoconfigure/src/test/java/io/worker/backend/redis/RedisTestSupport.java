package io.worker.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A namespace of one's own on a test Redis ({@link io.worker.testsupport.TestRedis} connects), its
 * keys, and test tasks.
 */
public final class RedisTestSupport {

	static final Instant START = Instant.parse("2030-01-15T10:00:00Z");

	private RedisTestSupport() {
	}

	public static String namespace() {
		return "wtest-" + UUID.randomUUID();
	}

	static String queue() {
		return "q-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Delete the keys of this namespace only: never the whole database. */
	public static void deleteKeys(LettuceConnectionFactory factory, String namespace) {
		try (RedisConnection connection = factory.getConnection()) {
			List<byte[]> keys = new ArrayList<>();
			ScanOptions options = ScanOptions.scanOptions().match(namespace + ":*").count(1000).build();
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
				cursor.forEachRemaining(keys::add);
			}
			if (!keys.isEmpty()) {
				connection.keyCommands().del(keys.toArray(new byte[0][]));
			}
		}
	}

	static long keyCount(LettuceConnectionFactory factory, String namespace) {
		try (RedisConnection connection = factory.getConnection()) {
			ScanOptions options = ScanOptions.scanOptions().match(namespace + ":*").count(1000).build();
			long count = 0;
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
				while (cursor.hasNext()) {
					cursor.next();
					count++;
				}
			}
			return count;
		}
	}

	static TaskMessage task(String queue, String id) {
		return task(queue, id, null, null, null);
	}

	static TaskMessage task(String queue, String id, @Nullable Integer maxRetries, @Nullable String uniqueKey,
			@Nullable Duration retention) {
		return TaskMessage.builder(id, "test:job", queue)
			.payload(("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8))
			.headers(Map.of("traceparent", "00-abc-01"))
			.maxRetries(maxRetries)
			.timeout(Duration.ofSeconds(30))
			.uniqueKey(uniqueKey)
			.uniqueTtl((uniqueKey != null) ? Duration.ofHours(1) : null)
			.retention(retention)
			.enqueuedAt(START)
			.build();
	}

	static EnqueueResult enqueue(RedisTaskStore store, TaskMessage message, @Nullable Instant processAt) {
		List<EnqueueResult> results = store.enqueue(List.of(new EnqueueRequest(message, processAt)));
		assertThat(results).hasSize(1);
		return results.get(0);
	}

	static void enqueueOk(RedisTaskStore store, TaskMessage message) {
		assertThat(enqueue(store, message, null).failure()).isNull();
	}

}
