package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Where each message goes: a task due now to its queue through the tasks exchange, a delayed task or
 * a retry into the delay levels, a failed task to its queue's archive, a handed-back task to the tail
 * of its queue. A task bound for a queue carries its envelope in its body ({@link RabbitTaskCodec});
 * an archived one carries it in {@code worker-*} headers, with its error, for the broker's console to
 * show.
 */
final class RabbitRouter {

	/** When a delayed task is due (ISO-8601): its ready time once it arrives. */
	static final String PROCESS_AT = "worker-process-at";

	/** Deliveries of this task lost before it was handed back, which the broker's count no longer holds. */
	static final String EARLIER_DELIVERIES = "worker-earlier-deliveries";

	/** When the task was archived (ISO-8601). */
	static final String ARCHIVED_AT = "worker-archived-at";

	/** Why a message that is not a readable task was archived. */
	static final String ARCHIVE_REASON = "worker-archive-reason";

	private final RabbitNames names;

	RabbitRouter(RabbitNames names) {
		this.names = names;
	}

	/**
	 * A task to its queue, through the delay levels when it is due later than the next second.
	 * @throws IllegalArgumentException when the delay is longer than the levels can express
	 */
	Outgoing task(TaskMessage message, @Nullable Instant processAt, Instant now) {
		Map<String, String> fields = TaskEnvelope.headers(message);
		long seconds = (processAt != null) ? delaySeconds(processAt, now) : 0;
		if (seconds <= 0) {
			return queued(this.names.tasksExchange(), message.queue(), fields, message);
		}
		fields.put(PROCESS_AT, processAt.toString());
		return queued(this.names.delayExchange(seconds), RabbitNames.delayRoutingKey(seconds, message.queue()),
				fields, message);
	}

	/** A task handed back unprocessed, to the tail of its queue, keeping the deliveries it lost so far. */
	Outgoing handBack(TaskMessage message, int lostDeliveries) {
		Map<String, String> fields = TaskEnvelope.headers(message);
		if (lostDeliveries > 0) {
			fields.put(EARLIER_DELIVERIES, Integer.toString(lostDeliveries));
		}
		return queued(this.names.tasksExchange(), message.queue(), fields, message);
	}

	/** A task that failed for good, to its queue's archive with its error. */
	Outgoing archive(TaskMessage failed, Instant now) {
		Map<String, Object> headers = new LinkedHashMap<>(TaskEnvelope.headers(failed));
		headers.put(ARCHIVED_AT, now.toString());
		return new Outgoing(this.names.archiveExchange(), failed.queue(), true, headers, failed.payload(),
				null, null, RabbitPublisher.JSON);
	}

	/** A message that is not a readable task, to the archive of the queue it was found in, as it came. */
	Outgoing garbage(String queue, Map<String, Object> headers, byte[] body, String reason, Instant now) {
		Map<String, Object> archived = new LinkedHashMap<>(headers);
		archived.remove("x-death");
		archived.put(ARCHIVE_REASON, reason);
		archived.put(ARCHIVED_AT, now.toString());
		return new Outgoing(this.names.archiveExchange(), queue, true, archived, body, null, null,
				RabbitPublisher.JSON);
	}

	/** The whole seconds from now to {@code processAt}, rounded up so that a task never arrives early. */
	static long delaySeconds(Instant processAt, Instant now) {
		long millis = Duration.between(now, processAt).toMillis();
		if (millis <= 0) {
			return 0;
		}
		long seconds = (millis + 999) / 1000;
		if (seconds > RabbitNames.MAX_DELAY.toSeconds()) {
			throw new IllegalArgumentException("RabbitMQ's delay levels reach " + RabbitNames.MAX_DELAY.toDays()
					+ " days at most; " + processAt + " is further away");
		}
		return seconds;
	}

	/**
	 * A task on its way to a queue: its envelope in the body ({@link RabbitTaskCodec}), no header
	 * table and no properties for the broker to decode and store but those the publisher sets.
	 */
	private static Outgoing queued(String exchange, String routingKey, Map<String, String> fields,
			TaskMessage message) {
		return new Outgoing(exchange, routingKey, true, Map.of(), RabbitTaskCodec.body(fields, message.payload()), null,
				null, null);
	}

}
