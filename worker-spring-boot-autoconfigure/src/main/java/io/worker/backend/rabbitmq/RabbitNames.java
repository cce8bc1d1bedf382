package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.Collections;

/**
 * The names of every RabbitMQ object Worker uses, under one prefix, and the routing keys of the
 * binary delay levels.
 * <p>
 * A delay of {@code d} seconds ({@code 0 < d < 2^LEVELS}) is routed with the key
 * {@code b27.b26.….b0.<queue>}: its bits, most significant first, then the destination queue.
 * Level {@code n} is a topic exchange and a queue whose single {@code x-message-ttl} is
 * {@code 2^n} seconds: the exchange sends a key whose bit {@code n} is 1 to its queue, which
 * dead-letters it after the TTL to level {@code n - 1}, and a key whose bit is 0 straight on to
 * level {@code n - 1}. After level 0 the due exchange routes by the tail of the key to the queue.
 * A message waits only at its 1-bits, and each queue holds one TTL, so nothing waits behind a
 * longer delay.
 */
final class RabbitNames {

	/** Delay levels: 2^28 - 1 seconds is about 8.5 years. */
	static final int LEVELS = 28;

	/** The longest delay the levels can express. */
	static final Duration MAX_DELAY = Duration.ofSeconds((1L << LEVELS) - 1);

	private final String prefix;

	RabbitNames(String prefix) {
		this.prefix = prefix;
	}

	String prefix() {
		return this.prefix;
	}

	/** The direct exchange tasks are published to, routed by their Worker queue's name. */
	String tasksExchange() {
		return this.prefix + ".tasks";
	}

	/** The RabbitMQ queue of a Worker queue. */
	String queue(String queue) {
		return this.prefix + ".queue." + queue;
	}

	/** The direct exchange of the archives, routed by the Worker queue's name. */
	String archiveExchange() {
		return this.prefix + ".archive";
	}

	/** The archive (dead letter) of a Worker queue. */
	String archiveQueue(String queue) {
		return this.prefix + ".archive." + queue;
	}

	/** The fanout exchange cancellations are broadcast on. */
	String cancelExchange() {
		return this.prefix + ".cancel";
	}

	/** The stream of pause and resume records, read from its start by every instance. */
	String controlStream() {
		return this.prefix + ".control";
	}

	/** The stream of schedule records (definitions, claims, fires, snapshots), replayed by every instance. */
	String scheduleStream() {
		return this.prefix + ".schedules";
	}

	/** The stream the worker servers append their heartbeats to. */
	String heartbeatStream() {
		return this.prefix + ".heartbeats";
	}

	/** The exchange and the queue of delay level {@code n}. */
	String delayLevel(int level) {
		return this.prefix + ".delay." + ((level < 10) ? "0" : "") + level;
	}

	/** The topic exchange after level 0, routing by the tail of the key to the Worker queue. */
	String dueExchange() {
		return this.prefix + ".delay.due";
	}

	/** The exchange a message with this delay goes to: the level of its highest 1-bit. */
	String delayExchange(long seconds) {
		return delayLevel(63 - Long.numberOfLeadingZeros(seconds));
	}

	/** The routing key of a delay: its bits, most significant first, then the queue. */
	static String delayRoutingKey(long seconds, String queue) {
		if (seconds <= 0 || seconds > MAX_DELAY.toSeconds()) {
			throw new IllegalArgumentException("delay of " + seconds + "s is outside 1s.." + MAX_DELAY.toSeconds() + "s");
		}
		StringBuilder key = new StringBuilder(2 * LEVELS + queue.length());
		for (int bit = LEVELS - 1; bit >= 0; bit--) {
			key.append(((seconds >> bit) & 1) == 1 ? '1' : '0').append('.');
		}
		return key.append(queue).toString();
	}

	/** The binding of level {@code n}'s exchange for keys whose bit {@code n} is {@code bit}. */
	static String levelBinding(int level, int bit) {
		return String.join("", Collections.nCopies(LEVELS - 1 - level, "*.")) + bit + ".#";
	}

	/** The binding of the due exchange to a Worker queue: any bits, then exactly the queue's name. */
	static String dueBinding(String queue) {
		return String.join("", Collections.nCopies(LEVELS, "*.")) + queue;
	}

	/**
	 * Check that a queue name can be routed through the topic exchanges of the delay levels.
	 * @throws IllegalArgumentException when it cannot
	 */
	static void checkQueueName(String queue) {
		if (queue.isEmpty() || queue.contains("*") || queue.contains("#") || queue.startsWith(".")
				|| queue.endsWith(".") || queue.contains("..") || queue.length() > 200) {
			throw new IllegalArgumentException("Queue name '" + queue + "' cannot be used on RabbitMQ: it must be 1 to "
					+ "200 characters without '*', '#', or empty words between dots");
		}
	}

}
