package io.worker.backend.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits each partition up to what its {@link PartitionWindow} allows: asynchronously from the
 * poll loop, one commit in flight at a time (its callback runs on the poll thread), and
 * synchronously before a partition is revoked and when the consumer closes. A failed commit marks
 * its windows changed, so the next one carries their offsets again. Used on the poll thread only;
 * the windows are read and marked under their lock.
 */
final class OffsetCommits {

	private static final Logger logger = LoggerFactory.getLogger(OffsetCommits.class);

	private final PartitionWindows windows;

	private final Duration timeout;

	private boolean inFlight;

	OffsetCommits(PartitionWindows windows, Duration timeout) {
		this.windows = windows;
		this.timeout = timeout;
	}

	/** Commit what changed, unless a commit is still on its way. */
	void commitAsync(Consumer<String, byte[]> consumer) {
		if (this.inFlight) {
			return;
		}
		Map<TopicPartition, PartitionWindow> sent = new HashMap<>();
		Map<TopicPartition, OffsetAndMetadata> offsets = this.windows.locked(() -> {
			Map<TopicPartition, OffsetAndMetadata> changed = this.windows.toCommit(this.windows.partitions());
			changed.keySet().forEach((partition) -> sent.put(partition, this.windows.get(partition).committed()));
			return changed;
		});
		if (offsets.isEmpty()) {
			return;
		}
		this.inFlight = true;
		try {
			consumer.commitAsync(offsets, (committed, failure) -> {
				this.inFlight = false;
				if (failure != null) {
					logger.debug("Commit failed; trying again at the next poll", failure);
					uncommitted(sent);
				}
			});
		}
		catch (KafkaException ex) {
			this.inFlight = false;
			uncommitted(sent);
			logger.debug("Commit failed; trying again at the next poll", ex);
		}
	}

	private void uncommitted(Map<TopicPartition, PartitionWindow> sent) {
		this.windows.locked(() -> sent.values().forEach(PartitionWindow::uncommitted));
	}

	/** Commit what changed on the given partitions and wait for it. */
	void commitSync(Consumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> offsets = this.windows.locked(() -> this.windows.toCommit(partitions));
		if (offsets.isEmpty()) {
			return;
		}
		try {
			consumer.commitSync(offsets, this.timeout);
			this.windows.locked(() -> offsets.keySet().forEach((partition) -> {
				PartitionWindow window = this.windows.get(partition);
				if (window != null) {
					window.committed();
				}
			}));
		}
		catch (KafkaException ex) {
			logger.debug("Commit failed; trying again at the next poll", ex);
		}
	}

}
