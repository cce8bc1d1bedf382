package io.worker.backend.kafka;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The record headers the backend adds around a task: how often it was delivered, where and when
 * a delayed record goes, and where an archived one came from. They are not part of the task.
 */
final class TransportHeaders {

	/** How many times the record was delivered without being settled before this copy was published, plus one. */
	static final String DELIVERY_COUNT = "worker-x-delivery-count";

	/** When the task is due (epoch milliseconds), on a delayed record and on the record forwarded when due. */
	static final String DUE = "worker-x-due";

	/** When a delayed record leaves its delay tier (epoch milliseconds). */
	static final String TIER_EXIT = "worker-x-tier-exit";

	/** The queue topic a delayed record goes to when due. */
	static final String TARGET = "worker-x-target";

	/**
	 * Why a record was archived when it is not a task (garbage), or when Kafka refused its re-publish
	 * (a retry, a redelivery, a forward from a delay tier, a re-run) as too large.
	 */
	static final String ARCHIVE_REASON = "worker-x-archive-reason";

	/** The topic, partition and offset a record was archived from ({@code topic/partition/offset}). */
	static final String ORIGIN = "worker-x-origin";

	/**
	 * On an archived record whose value was cut because Kafka refused it as too large: the size of
	 * the original value in bytes.
	 */
	static final String TRUNCATED = "worker-x-truncated-from";

	private TransportHeaders() {
	}

	static int deliveryCount(Map<String, String> headers) {
		String text = headers.get(DELIVERY_COUNT);
		try {
			return (text != null) ? Math.max(1, Integer.parseInt(text)) : 1;
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	static @Nullable Instant instant(Map<String, String> headers, String name) {
		String text = headers.get(name);
		try {
			return (text != null) ? Instant.ofEpochMilli(Long.parseLong(text)) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	static String millis(Instant instant) {
		return Long.toString(instant.toEpochMilli());
	}

}
