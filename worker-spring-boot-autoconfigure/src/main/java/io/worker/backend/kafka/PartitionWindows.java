package io.worker.backend.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The {@link PartitionWindow windows} of the consumer's assigned partitions, and per queue how
 * many records are unfinished (offered and their stage not completed, or held in a key lane: what
 * the prefetch bounds) and how many tasks are unsettled (what the inspector reports as active
 * here). A partition's window lives from its assignment to its revocation; a delivery whose window
 * is gone can no longer be settled. Used under {@link #locked} (by the poll thread, and by the
 * worker threads that refill the window), except {@link #unsettledTasks}.
 */
final class PartitionWindows {

	private final KafkaTopicNames names;

	private final Map<TopicPartition, PartitionWindow> windows = new HashMap<>();

	private final Map<String, Integer> unfinished = new HashMap<>();

	private final Map<String, AtomicInteger> unsettledTasks = new ConcurrentHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	PartitionWindows(KafkaTopicNames names) {
		this.names = names;
	}

	/** Run under the lock that guards the windows and what the consumer keeps with them. */
	<T> T locked(Supplier<T> action) {
		this.lock.lock();
		try {
			return action.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** {@link #locked(Supplier)} without a result. */
	void locked(Runnable action) {
		locked(() -> {
			action.run();
			return null;
		});
	}

	/**
	 * Run under the lock unless another thread holds it, or the caller already does (it is in the
	 * middle of something the action would change).
	 * @return whether the action ran
	 */
	boolean lockedIfFree(Runnable action) {
		if (this.lock.isHeldByCurrentThread() || !this.lock.tryLock()) {
			return false;
		}
		try {
			action.run();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Open a window on each partition assigned, starting at its committed offset. */
	void assigned(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
		for (TopicPartition partition : partitions) {
			this.windows.put(partition,
					new PartitionWindow(partition, this.names.queueOf(partition.topic()), committed.get(partition)));
		}
	}

	/** The window of an assigned partition, or {@code null}. */
	@Nullable PartitionWindow get(TopicPartition partition) {
		return this.windows.get(partition);
	}

	/** The assigned partitions (a live view). */
	Set<TopicPartition> partitions() {
		return this.windows.keySet();
	}

	/** Whether the window is still the one of its partition (not revoked, and not replaced by a new assignment). */
	boolean isCurrent(PartitionWindow window) {
		return this.windows.get(window.partition()) == window;
	}

	/** Whether the delivery can still be settled: not revoked and its window current. */
	boolean isLive(KafkaDelivery delivery) {
		return !delivery.revoked() && isCurrent(delivery.window());
	}

	/** The records of a queue offered or held and not finished. */
	int unfinished(String queue) {
		return this.unfinished.getOrDefault(queue, 0);
	}

	/** A record of the queue was offered or held (positive) or finished (negative). */
	void unfinished(String queue, int change) {
		this.unfinished.merge(queue, change, Integer::sum);
	}

	/** A task of the queue was offered: it is unsettled until {@link #settled}. */
	void offered(String queue) {
		this.unsettledTasks.computeIfAbsent(queue, (key) -> new AtomicInteger()).incrementAndGet();
	}

	/** A live delivery was settled: its offset may be committed. */
	void settled(KafkaDelivery delivery) {
		if (delivery.window().settled(delivery.offset())) {
			this.unsettledTasks.get(delivery.window().queue()).decrementAndGet();
		}
	}

	/** The tasks of a queue offered here and not yet settled; any thread. */
	int unsettledTasks(String queue) {
		AtomicInteger count = this.unsettledTasks.get(queue);
		return (count != null) ? count.get() : 0;
	}

	/** What to commit for the given partitions: those whose window changed since its last commit. */
	Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (TopicPartition partition : partitions) {
			PartitionWindow window = this.windows.get(partition);
			OffsetAndMetadata offset = (window != null) ? window.toCommit() : null;
			if (offset != null) {
				offsets.put(partition, offset);
			}
		}
		return offsets;
	}

	/** Forget partitions: their deliveries can no longer be settled and will be delivered elsewhere. */
	void drop(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			PartitionWindow window = this.windows.remove(partition);
			if (window != null) {
				window.deliveries().forEach(KafkaDelivery::revoke);
				unfinished(window.queue(), -window.lanes().held());
				AtomicInteger count = this.unsettledTasks.get(window.queue());
				if (count != null) {
					count.addAndGet(-window.unsettledTasks());
				}
			}
		}
	}

}
