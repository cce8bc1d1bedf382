package io.worker.backend.kafka;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

import io.worker.TaskEnqueueException;

/**
 * The names of the backend's topics, all under one prefix: {@code <prefix>.<queue>} for a queue,
 * {@code <prefix>.<queue>.archive} for its dead letter, {@code <prefix>.delay.<millis>ms} for a
 * delay tier (shared by every queue), {@code <prefix>.cancel} for the cancel broadcast,
 * {@code <prefix>.schedules} for the recurring tasks' log, {@code <prefix>.control} for paused queues
 * and {@code <prefix>.workers} for heartbeats. A queue cannot take the name of any of them.
 */
final class KafkaTopicNames {

	private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

	private static final String ARCHIVE_SUFFIX = ".archive";

	private static final String CANCEL = "cancel";

	private static final String SCHEDULES = "schedules";

	/** Queue names whose topics would be the backend's own. */
	private static final Set<String> RESERVED = Set.of(CANCEL, SCHEDULES, "control", "workers");

	private final String prefix;

	KafkaTopicNames(String prefix) {
		this.prefix = prefix;
	}

	/** The topic of a queue; a queue name Kafka cannot carry is refused. */
	String queue(String queue) {
		if (RESERVED.contains(queue)) {
			throw new TaskEnqueueException("The kafka backend cannot use queue '" + queue
					+ "': its topic name is the backend's own; the queue names " + RESERVED + " are reserved");
		}
		if (!LEGAL.matcher(queue).matches() || queue.endsWith(ARCHIVE_SUFFIX)) {
			throw new TaskEnqueueException("The kafka backend cannot use queue '" + queue
					+ "': a queue name must be made of letters, digits, '.', '_' and '-' and not end in '"
					+ ARCHIVE_SUFFIX + "'");
		}
		return this.prefix + "." + queue;
	}

	/** Whether a topic is one of the backend's own (cancel, schedules, control, workers), not a queue's. */
	boolean isOwn(String topic) {
		return RESERVED.stream().anyMatch((name) -> topic.equals(this.prefix + "." + name));
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

	String control() {
		return this.prefix + ".control";
	}

	String workers() {
		return this.prefix + ".workers";
	}

}
