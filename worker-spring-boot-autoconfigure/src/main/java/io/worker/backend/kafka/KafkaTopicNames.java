package io.worker.backend.kafka;

import java.time.Duration;
import java.util.regex.Pattern;

import io.worker.TaskEnqueueException;

/**
 * The names of the backend's topics, all under one prefix: {@code <prefix>.<queue>} for a queue,
 * {@code <prefix>.<queue>.archive} for its dead letter, {@code <prefix>.delay.<millis>ms} for a
 * delay tier (shared by every queue), {@code <prefix>.cancel} for the cancel broadcast and
 * {@code <prefix>.schedules} for the recurring tasks' log. A queue cannot take the name of either.
 */
final class KafkaTopicNames {

	private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

	private static final String ARCHIVE_SUFFIX = ".archive";

	private static final String CANCEL = "cancel";

	private static final String SCHEDULES = "schedules";

	private final String prefix;

	KafkaTopicNames(String prefix) {
		this.prefix = prefix;
	}

	/** The topic of a queue; a queue name Kafka cannot carry is refused. */
	String queue(String queue) {
		if (!LEGAL.matcher(queue).matches() || queue.endsWith(ARCHIVE_SUFFIX)) {
			throw new TaskEnqueueException("The kafka backend cannot use queue '" + queue
					+ "': a queue name must be made of letters, digits, '.', '_' and '-' and not end in '"
					+ ARCHIVE_SUFFIX + "'");
		}
		if (queue.equals(CANCEL) || queue.equals(SCHEDULES)) {
			throw new TaskEnqueueException("The kafka backend cannot use queue '" + queue
					+ "': its topic would be the backend's own '" + this.prefix + "." + queue + "' topic");
		}
		return this.prefix + "." + queue;
	}

	/** The queue of a queue topic. */
	String queueOf(String topic) {
		return topic.substring(this.prefix.length() + 1);
	}

	String archive(String queue) {
		return queue(queue) + ARCHIVE_SUFFIX;
	}

	String tier(Duration delay) {
		return this.prefix + ".delay." + delay.toMillis() + "ms";
	}

	String cancel() {
		return this.prefix + "." + CANCEL;
	}

	String schedules() {
		return this.prefix + "." + SCHEDULES;
	}

}
