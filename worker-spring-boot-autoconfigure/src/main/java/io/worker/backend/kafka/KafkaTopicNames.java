package io.worker.backend.kafka;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.worker.TaskEnqueueException;
import org.jspecify.annotations.Nullable;

/**
 * The names of the backend's topics, all under one prefix: {@code <prefix>.<queue>} for a queue,
 * {@code <prefix>.<queue>.archive} for its dead letter, {@code <prefix>.delay.<millis>ms} for a
 * delay tier (shared by every queue), {@code <prefix>.cancel} for the cancel broadcast,
 * {@code <prefix>.schedules} for the recurring tasks' log, {@code <prefix>.control} for paused queues
 * and {@code <prefix>.workers} for heartbeats. A queue cannot take the name of any of them, nor one
 * that collides with them in Kafka ({@code .} and {@code _} are the same in Kafka's metric names, so
 * the broker refuses a topic whose name differs from an existing one only by them), nor one Kafka
 * cannot use as a topic name. Not an API for applications: public for the auto-configuration's
 * startup checks.
 */
public final class KafkaTopicNames {

	/** The longest topic name Kafka accepts. */
	static final int MAX_TOPIC_LENGTH = 249;

	private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

	/** Queue names whose topics are, or collide with, a delay tier's. */
	private static final Pattern TIER = Pattern.compile("delay[._][0-9]+ms");

	private static final String ARCHIVE_SUFFIX = ".archive";

	private static final String CANCEL = "cancel";

	private static final String SCHEDULES = "schedules";

	/** Queue names whose topics would be the backend's own. */
	private static final Set<String> RESERVED = Set.of(CANCEL, SCHEDULES, "control", "workers");

	private final String prefix;

	/**
	 * @param prefix the prefix of every topic ({@code worker.kafka.prefix})
	 */
	public KafkaTopicNames(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * Why the backend cannot use a queue of this name, or {@code null} when it can.
	 * @param queue the queue name
	 * @return the reason, naming the topic at stake
	 */
	public @Nullable String refusal(String queue) {
		String topic = this.prefix + "." + queue;
		if (!LEGAL.matcher(queue).matches()) {
			return "a Kafka topic name is made of letters, digits, '.', '_' and '-' only";
		}
		if (RESERVED.contains(queue)) {
			return "its topic '" + topic + "' is the backend's own; the queue names " + new TreeSet<>(RESERVED)
					+ " are reserved";
		}
		if (TIER.matcher(queue).matches()) {
			return "its topic '" + topic + "' is, or collides with, a delay tier's topic; queue names 'delay.<n>ms' "
					+ "and 'delay_<n>ms' are reserved";
		}
		if (queue.endsWith(ARCHIVE_SUFFIX) || queue.endsWith("_archive")) {
			return "its topic '" + topic + "' is, or collides with, the archive topic of queue '"
					+ queue.substring(0, queue.length() - ARCHIVE_SUFFIX.length())
					+ "' ('.' and '_' collide in Kafka); a queue name must not end in '.archive' or '_archive'";
		}
		int length = topic.length() + ARCHIVE_SUFFIX.length();
		if (length > MAX_TOPIC_LENGTH) {
			return "its archive topic '" + topic + ARCHIVE_SUFFIX + "' would be " + length
					+ " characters, more than the " + MAX_TOPIC_LENGTH + " Kafka allows for a topic name; shorten "
					+ "the queue name or worker.kafka.prefix";
		}
		return null;
	}

	/**
	 * The name under which Kafka tells topics apart in its metrics, where {@code .} and {@code _}
	 * are the same: two queues with the same one cannot both have a topic.
	 * @param queue the queue name
	 * @return the queue name with every {@code .} replaced by {@code _}
	 */
	public static String collisionName(String queue) {
		return queue.replace('.', '_');
	}

	/** The topic of a queue; a queue name the backend cannot use is refused ({@link #refusal}). */
	String queue(String queue) {
		String refusal = refusal(queue);
		if (refusal != null) {
			throw new TaskEnqueueException("The kafka backend cannot use queue '" + queue + "': " + refusal);
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
