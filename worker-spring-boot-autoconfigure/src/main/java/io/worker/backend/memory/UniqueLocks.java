package io.worker.backend.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The unique locks of the in-memory store: held from a unique task's enqueue until it completes or
 * is deleted, and at most for its ttl. Guarded by the store's lock.
 */
final class UniqueLocks {

	private final Map<String, Lock> locks = new HashMap<>();

	/**
	 * Take the task's lock, if it asks for one.
	 * @return the id of the task that holds the lock instead, or {@code null} when this task has it
	 */
	@Nullable String acquire(TaskMessage message, Instant now) {
		String key = message.uniqueKey();
		if (key == null) {
			return null;
		}
		Lock held = this.locks.get(key);
		if (held != null && held.expiresAt.isAfter(now)) {
			return held.taskId;
		}
		Duration ttl = (message.uniqueTtl() != null) ? message.uniqueTtl() : Duration.ZERO;
		this.locks.put(key, new Lock(message.queue(), message.id(), now.plus(ttl)));
		return null;
	}

	/** Release the task's lock, unless another task has taken it since. */
	void release(TaskMessage message) {
		String key = message.uniqueKey();
		if (key != null) {
			Lock held = this.locks.get(key);
			if (held != null && held.taskId.equals(message.id()) && held.queue.equals(message.queue())) {
				this.locks.remove(key);
			}
		}
	}

	/** Forget locks whose ttl has passed. */
	void deleteExpired(Instant now) {
		this.locks.values().removeIf((held) -> !held.expiresAt.isAfter(now));
	}

	private record Lock(String queue, String taskId, Instant expiresAt) {
	}

}
