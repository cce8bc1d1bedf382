package io.worker.backend.redis;

import org.jspecify.annotations.Nullable;

import java.time.LocalDate;

/**
 * The key layout of one namespace. Every key of a queue carries the queue's name as a hash tag
 * ({@code worker:{default}:pending}) so that a queue's keys share one Redis Cluster slot and one
 * script may touch them all.
 *
 * <pre>
 * ns:queues                     set of known queue names
 * ns:workers                    zset of worker ids, scored by registration expiry (ms)
 * ns:worker:&lt;id&gt;              hash of one worker's registration, with a TTL
 * ns:wakeup, ns:cancel          pub/sub channels: a queue got pending tasks; a task is to be cancelled
 * ns:{q}:t:&lt;id&gt;               hash of one task
 * ns:{q}:pending                list of ids, head taken first
 * ns:{q}:lease                  zset of active ids, scored by lease expiry (ms)
 * ns:{q}:scheduled, :retry      zsets of ids, scored by due time (ms)
 * ns:{q}:archived               zset of ids, scored by archive time (ms)
 * ns:{q}:completed              zset of ids, scored by retention expiry (ms)
 * ns:{q}:paused                 present while the queue is paused
 * ns:{q}:unique:&lt;key&gt;          unique lock: hash of the owning task's id and the lock's expiry (ms)
 * ns:{q}:processed:&lt;date&gt;, ns:{q}:failed:&lt;date&gt;   daily counters (UTC)
 * ns:{q}:rate                   rate limit window counter
 * </pre>
 */
final class RedisKeys {

	private static final int MAX_QUEUE_NAME = 200;

	private final String namespace;

	RedisKeys(String namespace) {
		if (namespace.isBlank() || namespace.contains("{") || namespace.contains("}")) {
			throw new IllegalArgumentException("Invalid Redis namespace '" + namespace + "'");
		}
		this.namespace = namespace;
	}

	String namespace() {
		return this.namespace;
	}

	/**
	 * Why a queue name cannot be used in Redis keys, or {@code null} when it can: braces would move
	 * the queue's keys out of their hash tag (and so out of one Cluster slot and one script).
	 */
	static @Nullable String unusableQueueName(String queue) {
		if (queue.isBlank()) {
			return "it is blank";
		}
		if (queue.indexOf('{') >= 0 || queue.indexOf('}') >= 0) {
			return "it contains a brace ({ or }), which Redis Cluster hash tags reserve";
		}
		if (queue.length() > MAX_QUEUE_NAME) {
			return "it is longer than " + MAX_QUEUE_NAME + " characters";
		}
		return null;
	}

	String queues() {
		return this.namespace + ":queues";
	}

	String workers() {
		return this.namespace + ":workers";
	}

	String worker(String id) {
		return this.namespace + ":worker:" + id;
	}

	String wakeupChannel() {
		return this.namespace + ":wakeup";
	}

	String cancelChannel() {
		return this.namespace + ":cancel";
	}

	/** The prefix of every key of a queue; scripts derive task and lock keys from it. */
	String queuePrefix(String queue) {
		return this.namespace + ":{" + queue + "}:";
	}

	String task(String queue, String id) {
		return queuePrefix(queue) + "t:" + id;
	}

	String pending(String queue) {
		return queuePrefix(queue) + "pending";
	}

	String lease(String queue) {
		return queuePrefix(queue) + "lease";
	}

	String scheduled(String queue) {
		return queuePrefix(queue) + "scheduled";
	}

	String retry(String queue) {
		return queuePrefix(queue) + "retry";
	}

	String archived(String queue) {
		return queuePrefix(queue) + "archived";
	}

	String completed(String queue) {
		return queuePrefix(queue) + "completed";
	}

	String paused(String queue) {
		return queuePrefix(queue) + "paused";
	}

	String unique(String queue, String uniqueKey) {
		return queuePrefix(queue) + "unique:" + uniqueKey;
	}

	String processed(String queue, LocalDate day) {
		return queuePrefix(queue) + "processed:" + day;
	}

	String failed(String queue, LocalDate day) {
		return queuePrefix(queue) + "failed:" + day;
	}

	String rate(String queue) {
		return queuePrefix(queue) + "rate";
	}

}
