package io.worker.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.worker.TaskDetail;
import io.worker.TaskState;
import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;

import static io.worker.backend.redis.RedisTestSupport.enqueue;
import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks queued by the previous version (task hashes under the long field names, UUID ids) are
 * delivered, inspected and settled unchanged after an upgrade: nothing queued is lost.
 */
class RedisTaskUpgradeTests extends RedisStoreTestCase {

	private final RedisKeys keys = new RedisKeys(this.namespace);

	@Test
	void aTaskQueuedByThePreviousVersionIsDeliveredUnchangedAndCompletes() throws InterruptedException {
		String id = UUID.randomUUID().toString();
		queuedByPreviousVersion(id, null);
		TaskMessage expected = task(this.queue, id);
		assertThat(this.store.inspector().task(this.queue, id).orElseThrow().type()).isEqualTo("test:job");
		Delivery delivery = take();
		assertThat(delivery.malformed()).isNull();
		assertThat(delivery.message()).usingRecursiveComparison().isEqualTo(expected);
		delivery.complete(null);
		assertThat(this.store.inspector().task(this.queue, id)).isEmpty();
		assertThat(this.store.inspector().queue(this.queue).backlog()).isZero();
	}

	@Test
	void aUniqueTaskOfThePreviousVersionRetriesAndReleasesItsLockWhenItCompletes() throws InterruptedException {
		String id = UUID.randomUUID().toString();
		queuedByPreviousVersion(id, "k");
		assertThat(enqueue(this.store, task(this.queue, "new", null, "k", null), null).failure())
			.as("the lock of the earlier version's task holds")
			.isNotNull();
		Delivery delivery = take();
		delivery.retry(delivery.message().failed("boom", this.clock.instant()), this.clock.instant());
		TaskDetail retrying = this.store.inspector().task(this.queue, id).orElseThrow();
		assertThat(retrying.state()).isEqualTo(TaskState.RETRY);
		assertThat(retrying.retried()).isEqualTo(1);
		assertThat(retrying.timeout()).isEqualTo(Duration.ofSeconds(30));
		this.store.forwardDue(this.clock.instant());
		Delivery again = take();
		assertThat(again.message().id()).isEqualTo(id);
		assertThat(again.message().lastError()).isEqualTo("boom");
		again.complete(null);
		assertThat(enqueue(this.store, task(this.queue, "new", null, "k", null), null).failure()).isNull();
	}

	/** The keys the previous version's enqueue script wrote for {@code RedisTestSupport.task}. */
	private void queuedByPreviousVersion(String id, @Nullable String uniqueKey) {
		Map<byte[], byte[]> hash = new LinkedHashMap<>();
		put(hash, "type", "test:job");
		put(hash, "payload", "{\"id\":\"" + id + "\"}");
		put(hash, "timeout", "30000");
		if (uniqueKey != null) {
			put(hash, "unique_key", uniqueKey);
			put(hash, "unique_ttl", "3600000");
		}
		put(hash, "enqueued_at", Long.toString(RedisTestSupport.START.toEpochMilli()));
		put(hash, "h:traceparent", "00-abc-01");
		put(hash, "state", "pending");
		try (RedisConnection connection = factory.getConnection()) {
			connection.hashCommands().hMSet(bytes(this.keys.task(this.queue, id)), hash);
			connection.listCommands().rPush(bytes(this.keys.pending(this.queue)), bytes(id));
			if (uniqueKey != null) {
				long expiresAt = RedisTestSupport.START.plus(Duration.ofHours(1)).toEpochMilli();
				connection.hashCommands().hMSet(bytes(this.keys.unique(this.queue, uniqueKey)),
						Map.of(bytes("task"), bytes(id), bytes("expires_at"), bytes(Long.toString(expiresAt))));
			}
		}
	}

	private Delivery take() throws InterruptedException {
		List<Delivery> taken = this.store.dequeue(List.of(this.queue), 1, Duration.ZERO);
		assertThat(taken).as("a pending task in " + this.queue).hasSize(1);
		return taken.get(0);
	}

	private static void put(Map<byte[], byte[]> hash, String name, String value) {
		hash.put(bytes(name), bytes(value));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
