package io.worker.backend.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Routes a record that is due later through the delay tiers. Each tier topic holds one delay, so
 * records leave it in the order they entered: a record goes to the largest tier not longer than
 * its remaining delay and leaves it after that tier's delay (or at its due time, if sooner), to the
 * next smaller tier or, once due, to its queue topic. A delay below the smallest tier waits in the
 * smallest, which is therefore the resolution: a record may wait behind one due up to that much later.
 */
final class DelayTiers {

	private final List<Duration> tiers;

	private final KafkaTopicNames names;

	DelayTiers(List<Duration> tiers, KafkaTopicNames names) {
		this.tiers = List.copyOf(tiers);
		this.names = names;
	}

	/** Every tier topic. */
	List<String> topics() {
		return this.tiers.stream().map(this.names::tier).toList();
	}

	/** The tier for a remaining delay: the largest not longer than it, else the smallest. */
	Duration tierFor(Duration remaining) {
		Duration chosen = this.tiers.get(0);
		for (Duration tier : this.tiers) {
			if (tier.compareTo(remaining) <= 0) {
				chosen = tier;
			}
		}
		return chosen;
	}

	/**
	 * The record to publish for a task due at {@code due}: to the target when it is due, else to a tier.
	 * @param target the queue topic
	 * @param key the record key (the task's ordering key), kept through every tier so a keyed task
	 * lands in its key's partition, or {@code null}
	 * @param headers the task's headers, without tier headers
	 * @param value the payload
	 * @param due when the task is due
	 * @param now the current time
	 */
	ProducerRecord<String, byte[]> route(String target, @Nullable String key, Map<String, String> headers,
			byte[] value, Instant due, Instant now) {
		Map<String, String> routed = new LinkedHashMap<>(headers);
		routed.remove(TransportHeaders.TIER_EXIT);
		routed.remove(TransportHeaders.TARGET);
		routed.put(TransportHeaders.DUE, TransportHeaders.millis(due));
		if (!due.isAfter(now)) {
			return new ProducerRecord<>(target, null, null, key, value, KafkaRecordCodec.toRecordHeaders(routed));
		}
		Duration tier = tierFor(Duration.between(now, due));
		Instant exit = now.plus(tier);
		routed.put(TransportHeaders.TIER_EXIT, TransportHeaders.millis(due.isBefore(exit) ? due : exit));
		routed.put(TransportHeaders.TARGET, target);
		return new ProducerRecord<>(this.names.tier(tier), null, null, key, value,
				KafkaRecordCodec.toRecordHeaders(routed));
	}

}
