package io.worker.backend.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The offsets of one assigned partition that were offered and not yet settled, and so the offset
 * that may be committed: the lowest unsettled one, or the one after the highest offered when all
 * are settled. The commit's metadata carries the delivery count of each unsettled offset, so that
 * the next owner of the partition, after a crash or a rebalance, counts one more delivery for
 * them. Used under the windows' lock
 * ({@link PartitionWindows#locked}).
 */
final class PartitionWindow {

	/** Commit metadata is limited by the broker's {@code offset.metadata.max.bytes} (4096 by default). */
	private static final int MAX_METADATA = 3000;

	private static final String METADATA_PREFIX = "worker1:";

	private final TopicPartition partition;

	private final String queue;

	/** Offset to delivery count, for the offsets offered here and not settled. */
	private final TreeMap<Long, Integer> unsettled = new TreeMap<>();

	private final Map<Long, KafkaDelivery> deliveries = new HashMap<>();

	private final KeyLanes lanes = new KeyLanes();

	/** Delivery counts of offsets a previous owner offered and did not settle. */
	private final Map<Long, Integer> previousCounts;

	private long next = -1;

	private boolean dirty;

	PartitionWindow(TopicPartition partition, String queue, @Nullable OffsetAndMetadata committed) {
		this.partition = partition;
		this.queue = queue;
		this.previousCounts = parse((committed != null) ? committed.metadata() : null);
	}

	TopicPartition partition() {
		return this.partition;
	}

	String queue() {
		return this.queue;
	}

	/** How many times a previous owner delivered the offset without settling it (0 when never). */
	int previousCount(long offset) {
		return this.previousCounts.getOrDefault(offset, 0);
	}

	/** The partition's ordering-key lanes; they go with the window when the partition is dropped. */
	KeyLanes lanes() {
		return this.lanes;
	}

	/**
	 * An offset waits in a key lane, not offered yet: no commit passes it, and its delivery count is
	 * the previous owner's (it was not delivered here).
	 */
	void held(long offset) {
		offered(offset, previousCount(offset), null);
	}

	/** An offset was offered with the given delivery count; the delivery is null for a record that is not a task. */
	void offered(long offset, int deliveryCount, @Nullable KafkaDelivery delivery) {
		this.unsettled.put(offset, deliveryCount);
		if (delivery != null) {
			this.deliveries.put(offset, delivery);
		}
		this.next = Math.max(this.next, offset + 1);
		this.dirty = true;
	}

	/** An offset was settled; {@code false} when it was not waiting. */
	boolean settled(long offset) {
		this.deliveries.remove(offset);
		this.previousCounts.remove(offset);
		boolean removed = this.unsettled.remove(offset) != null;
		this.dirty |= removed;
		return removed;
	}

	/** The deliveries offered here and not settled. */
	Iterable<KafkaDelivery> deliveries() {
		return this.deliveries.values();
	}

	int unsettledTasks() {
		return this.deliveries.size();
	}

	/** What to commit, or {@code null} when nothing changed since the last commit. */
	@Nullable OffsetAndMetadata toCommit() {
		if (!this.dirty || this.next < 0) {
			return null;
		}
		long offset = this.unsettled.isEmpty() ? this.next : this.unsettled.firstKey();
		return new OffsetAndMetadata(offset, metadata(offset));
	}

	/** The last {@link #toCommit()} was sent to be committed; returns this window. */
	PartitionWindow committed() {
		this.dirty = false;
		return this;
	}

	/** The commit sent last failed: commit again. */
	void uncommitted() {
		this.dirty = true;
	}

	private String metadata(long from) {
		Map<Long, Integer> counts = new TreeMap<>();
		this.previousCounts.forEach((offset, count) -> {
			if (offset >= from) {
				counts.put(offset, count);
			}
		});
		counts.putAll(this.unsettled);
		StringBuilder metadata = new StringBuilder(METADATA_PREFIX);
		for (Map.Entry<Long, Integer> entry : counts.entrySet()) {
			String item = entry.getKey() + "=" + entry.getValue() + ",";
			if (metadata.length() + item.length() > MAX_METADATA) {
				break;
			}
			metadata.append(item);
		}
		return metadata.toString();
	}

	static Map<Long, Integer> parse(@Nullable String metadata) {
		Map<Long, Integer> counts = new HashMap<>();
		if (metadata == null || !metadata.startsWith(METADATA_PREFIX)) {
			return counts;
		}
		for (String item : metadata.substring(METADATA_PREFIX.length()).split(",")) {
			int equals = item.indexOf('=');
			if (equals > 0) {
				try {
					counts.put(Long.parseLong(item.substring(0, equals)), Integer.parseInt(item.substring(equals + 1)));
				}
				catch (NumberFormatException ex) {
					// written by something else: ignored
				}
			}
		}
		return counts;
	}

}
