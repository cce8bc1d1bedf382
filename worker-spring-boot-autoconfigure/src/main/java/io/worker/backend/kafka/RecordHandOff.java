package io.worker.backend.kafka;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.worker.spi.BrokerContext;
import io.worker.spi.DeliverySink;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands fetched records to the runtime's sink as deliveries and takes their settlements back. A
 * queue holds at most its {@link BrokerContext#prefetch(String) prefetch} unfinished records;
 * records fetched beyond that wait in a per-partition buffer and are offered as soon as a delivery
 * finishes, without another fetch. A partition keeps being fetched while its buffer holds fewer
 * than {@value #FETCH_AHEAD} records (the poll loop pauses it from there), so its next records
 * are here before the buffer runs dry. A record
 * with a key (the task's ordering key) waits in its partition's {@link KeyLanes lane} while a task
 * with the same key runs, and while its queue is paused. A delivery whose stage failed unsettled is published again to its queue
 * with one more delivery count, then settled, so its partition keeps moving. A record that is not
 * a task is offered as a malformed delivery, which the runtime archives and counts.
 * <p>
 * Settlements and finished stages arrive on worker threads as events. The worker thread whose
 * stage completed runs the events and offers what the buffer holds when no other thread is at it,
 * so that the window refills without waiting for the poll thread to be scheduled (on a busy
 * machine that wait, not the work, bounded the drain); the poll thread runs them too
 * ({@link #runEvents()}). The windows, the buffer and the lanes are used under the windows' lock
 * ({@link PartitionWindows#locked}); the consumer itself stays the poll thread's.
 */
final class RecordHandOff implements KafkaDelivery.Settlements {

	private static final Logger logger = LoggerFactory.getLogger(RecordHandOff.class);

	/**
	 * How many records of a partition may wait in the buffer before the partition is paused: a
	 * poll's worth (Kafka's default {@code max.poll.records}). Buffered records cost memory only: they
	 * are not offered, so not in flight, and no commit passes them.
	 */
	static final int FETCH_AHEAD = 500;

	/** An event that only wakes the poll thread. */
	private static final Runnable WAKE_UP = () -> {
	};

	private final PartitionWindows windows;

	private final KafkaPublisher publisher;

	private final KafkaArchive archive;

	private final BrokerContext context;

	private final DeliverySink sink;

	private final Predicate<String> paused;

	private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();

	private final Map<TopicPartition, ArrayDeque<FetchedRecord>> buffered = new HashMap<>();

	/** The windows with lanes parked while their queue was paused (or offering stopped). */
	private final Set<PartitionWindow> parked = new LinkedHashSet<>();

	private volatile boolean offering = true;

	RecordHandOff(PartitionWindows windows, KafkaPublisher publisher, KafkaArchive archive, BrokerContext context,
			DeliverySink sink, Predicate<String> paused) {
		this.windows = windows;
		this.publisher = publisher;
		this.archive = archive;
		this.context = context;
		this.sink = sink;
		this.paused = paused;
	}

	@Override
	public KafkaPublisher publisher() {
		return this.publisher;
	}

	@Override
	public KafkaArchive archive() {
		return this.archive;
	}

	@Override
	public void settled(KafkaDelivery delivery) {
		this.events.add(() -> {
			if (this.windows.isLive(delivery)) {
				this.windows.settled(delivery);
			}
		});
	}

	/** Offer nothing more: every queue counts as full from now on; settlements still arrive. */
	void stopOffering() {
		this.offering = false;
	}

	/** Run under the windows' lock, which also guards the buffer and the lanes. */
	private <T> T locked(Supplier<T> action) {
		return this.windows.locked(action);
	}

	private void locked(Runnable action) {
		this.windows.locked(action);
	}

	/**
	 * On a worker thread whose stage just completed: run the events and offer what the buffer holds,
	 * unless another thread is at it (it will see the new event). When a paused partition's buffer
	 * fell below {@link #FETCH_AHEAD}, the poll thread is woken to resume and fetch it.
	 */
	private void runEventsOnWorker() {
		this.windows.lockedIfFree(() -> {
			runEvents();
			if (offerBuffered()) {
				this.events.add(WAKE_UP);
			}
		});
	}

	/**
	 * Whether the partition must be paused: its queue is paused, offering stopped, or its buffer
	 * holds {@link #FETCH_AHEAD} records. A full window alone does not pause it: its records wait in
	 * the buffer, ready for the window's next free places.
	 */
	boolean holds(TopicPartition partition, String queue) {
		return locked(() -> !this.offering || this.paused.test(queue) || bufferedOf(partition) >= FETCH_AHEAD);
	}

	private int bufferedOf(TopicPartition partition) {
		ArrayDeque<FetchedRecord> records = this.buffered.get(partition);
		return (records != null) ? records.size() : 0;
	}

	/** Whether records wait in the buffer. */
	boolean hasBuffered() {
		return locked(() -> !this.buffered.isEmpty());
	}

	/** Take a poll's records: read them (outside the lock), offer what fits, buffer the rest. */
	void buffer(ConsumerRecords<String, byte[]> records) {
		if (records.isEmpty()) {
			return;
		}
		Map<TopicPartition, List<FetchedRecord>> fetched = new HashMap<>();
		for (TopicPartition partition : records.partitions()) {
			fetched.put(partition, records.records(partition).stream().map(FetchedRecord::read).toList());
		}
		locked(() -> {
			fetched.forEach((partition, read) -> {
				if (this.windows.get(partition) != null) {
					this.buffered.computeIfAbsent(partition, (key) -> new ArrayDeque<>()).addAll(read);
				}
			});
			offerBuffered();
		});
	}

	/**
	 * Offer the next records of lanes parked while their queue was paused, once it is resumed, then
	 * the records waiting in the buffer while their queue's window has room.
	 * @return whether the buffer of a partition fell below {@link #FETCH_AHEAD} (the partition can be
	 *     resumed)
	 */
	boolean offerBuffered() {
		return locked(this::offerBufferedLocked);
	}

	private boolean offerBufferedLocked() {
		offerParked();
		boolean resumable = false;
		var partitions = this.buffered.entrySet().iterator();
		while (partitions.hasNext()) {
			var entry = partitions.next();
			PartitionWindow window = this.windows.get(entry.getKey());
			ArrayDeque<FetchedRecord> records = entry.getValue();
			boolean held = records.size() >= FETCH_AHEAD;
			while (window != null && !records.isEmpty() && !isFull(window.queue())) {
				admit(window, records.poll());
			}
			resumable |= held && records.size() < FETCH_AHEAD;
			if (window == null || records.isEmpty()) {
				partitions.remove();
			}
		}
		return resumable;
	}

	/** A held record already has its place in the window: it only waits for its queue to be resumed. */
	private void offerParked() {
		var windows = this.parked.iterator();
		while (windows.hasNext()) {
			PartitionWindow window = windows.next();
			if (!this.windows.isCurrent(window) || !window.lanes().hasParked()) {
				windows.remove();
			}
			else if (this.offering && !this.paused.test(window.queue())) {
				window.lanes().unpark().forEach((key) -> nextInLane(window, key));
				windows.remove();
			}
		}
	}

	/** Run the settlements and finished stages that arrived. */
	void runEvents() {
		locked(() -> {
			Runnable event;
			while ((event = this.events.poll()) != null) {
				event.run();
			}
		});
	}

	/**
	 * Wait up to the timeout for one event and run it.
	 * @throws InterruptedException when interrupted while waiting
	 */
	void awaitEvent(long timeoutMillis) throws InterruptedException {
		Runnable event = this.events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
		if (event != null) {
			locked(event);
		}
	}

	/** Forget partitions: their buffered records go, their deliveries can no longer be settled. */
	void drop(Collection<TopicPartition> partitions) {
		locked(() -> {
			partitions.forEach(this.buffered::remove);
			this.windows.drop(partitions);
		});
	}

	private boolean isFull(String queue) {
		return !this.offering || this.paused.test(queue)
				|| this.windows.unfinished(queue) >= this.context.prefetch(queue);
	}

	/**
	 * Offer a record, or hold it in its key's lane while a task with the same key runs. A held record
	 * takes its place in the window (so a hot key cannot fill memory) and blocks the commit.
	 */
	private void admit(PartitionWindow window, FetchedRecord record) {
		String key = record.key();
		KeyLanes lanes = window.lanes();
		if (key != null && lanes.busy(key)) {
			lanes.hold(key, record);
			window.held(record.offset());
			this.windows.unfinished(window.queue(), 1);
			return;
		}
		if (offer(window, record) && key != null) {
			lanes.start(key);
		}
	}

	/** The task running with a key finished: offer the next record of its lane, if one waits. */
	private void nextInLane(PartitionWindow window, String key) {
		FetchedRecord next;
		while ((next = window.lanes().finish(key)) != null) {
			this.windows.unfinished(window.queue(), -1);
			if (offer(window, next)) {
				return;
			}
		}
	}

	/**
	 * Offer a record to the sink. A record that is not a task is offered too, as a
	 * {@linkplain KafkaDelivery#malformed() malformed} delivery the runtime archives and counts.
	 * @return {@code true}: every record is offered
	 */
	private boolean offer(PartitionWindow window, FetchedRecord record) {
		int deliveryCount = Math.max(TransportHeaders.deliveryCount(record.headers()),
				window.previousCount(record.offset()) + 1);
		KafkaDelivery delivery = delivery(window, record, deliveryCount);
		window.offered(record.offset(), deliveryCount, delivery);
		this.windows.unfinished(window.queue(), 1);
		this.windows.offered(window.queue());
		CompletionStage<Void> stage;
		try {
			stage = this.sink.offer(delivery);
		}
		catch (RuntimeException ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		String key = record.key();
		stage.whenComplete((ignored, failure) -> {
			this.events.add(() -> finished(delivery, key, failure));
			runEventsOnWorker();
		});
		return true;
	}

	private KafkaDelivery delivery(PartitionWindow window, FetchedRecord record, int deliveryCount) {
		String unreadable = record.unreadable();
		if (unreadable == null) {
			return new KafkaDelivery(window.partition(), record.offset(), Objects.requireNonNull(record.message()),
					record.headers(), deliveryCount, window, this);
		}
		return new KafkaDelivery(window.partition(), record.offset(),
				placeholder(window, record.record(), record.headers()), record.headers(), deliveryCount, window, this,
				new KafkaDelivery.Garbage(record.record(), unreadable));
	}

	/** What can be read of a record that is not a task: named after its place, typed when it says so. */
	private static TaskMessage placeholder(PartitionWindow window, ConsumerRecord<String, byte[]> record,
			Map<String, String> headers) {
		String type = headers.get(TaskEnvelope.TYPE);
		boolean named = type != null && !type.isEmpty() && type.length() <= TaskEnvelope.MAX_NAME_LENGTH;
		Instant enqueuedAt = (record.timestamp() > 0) ? Instant.ofEpochMilli(record.timestamp()) : Instant.now();
		return TaskMessage
			.builder("garbage-" + record.topic() + "-" + record.partition() + "-" + record.offset(),
					named ? type : "unknown", window.queue())
			.enqueuedAt(enqueuedAt)
			.build();
	}

	/**
	 * A delivery's stage completed: its place in the window is free, unsettled it is published again,
	 * and the next task with its key may run.
	 */
	private void finished(KafkaDelivery delivery, @Nullable String key, @Nullable Throwable failure) {
		this.windows.unfinished(delivery.window().queue(), -1);
		if (failure != null && this.windows.isLive(delivery) && delivery.claim()) {
			redeliver(delivery);
		}
		PartitionWindow window = delivery.window();
		if (key != null && this.windows.isCurrent(window)) {
			if (this.offering && !this.paused.test(window.queue())) {
				nextInLane(window, key);
			}
			else {
				// a paused queue offers nothing, held records included: they go on after the resume
				window.lanes().park(key);
				this.parked.add(window);
			}
		}
	}

	/**
	 * Publish a task whose delivery failed unsettled again, with one more delivery count (archived
	 * instead when Kafka refuses it as too large); a record that is not a task cannot be published
	 * as one, so it goes to the archive as it came.
	 */
	private void redeliver(KafkaDelivery delivery) {
		CompletableFuture.runAsync(() -> {
			try {
				KafkaDelivery.Garbage garbage = delivery.garbage();
				if (garbage != null) {
					this.archive.publishGarbage(delivery.window().queue(), garbage.record(), garbage.reason());
				}
				else {
					// refused as too large, it would be refused every time: it is archived instead
					TaskMessage message = delivery.message();
					this.archive.republishOrArchive(message, delivery.origin(), "the redelivery after a failed delivery",
							() -> this.publisher.publish(message, null, delivery.deliveryCount() + 1));
				}
				settled(delivery);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not publish task {} again after a failed delivery; trying again",
						delivery.message().id(), ex);
				this.events.add(() -> {
					if (this.windows.isLive(delivery)) {
						redeliver(delivery);
					}
				});
			}
		});
	}

}
