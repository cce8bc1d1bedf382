package io.worker.backend.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.worker.spi.BrokerContext;
import io.worker.spi.DeliverySink;
import io.worker.spi.TaskMessage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's one consumer of its queue topics. Its poll thread never runs a handler: it offers
 * each record to the runtime's sink and keeps polling, pauses a queue's partitions while the queue
 * holds {@link BrokerContext#prefetch(String) prefetch} unfinished deliveries, and commits each
 * partition up to its lowest unsettled offset ({@link PartitionWindow}). {@code KafkaConsumer} is
 * not thread-safe: settlements and finished stages from worker threads are events that the poll
 * thread runs between polls. Records fetched beyond the window wait in a per-partition buffer (the
 * partition paused) and are offered as soon as a delivery finishes, without another fetch. Commits
 * are asynchronous from the loop, one at a time, and synchronous on revoke and close. A record with
 * a key (the task's ordering key) waits in its partition's {@link KeyLanes lane} while a task with
 * the same key runs, so a key's tasks run one at a time in offset order. A delivery
 * whose stage failed unsettled is published again to its queue with one more delivery count, then
 * settled, so its partition keeps moving. A paused queue ({@link KafkaPauses}) counts as full: its
 * partitions stay paused and nothing more of it is offered.
 */
final class KafkaQueueConsumer implements KafkaDelivery.Settlements {

	private static final Logger logger = LoggerFactory.getLogger(KafkaQueueConsumer.class);

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

	private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

	private final Supplier<Consumer<String, byte[]>> consumers;

	private final KafkaTopicNames names;

	private final KafkaPublisher publisher;

	private final KafkaArchive archive;

	private final BrokerContext context;

	private final DeliverySink sink;

	private final Predicate<String> paused;

	private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();

	private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> buffered = new HashMap<>();

	private boolean commitInFlight;

	private final Map<TopicPartition, PartitionWindow> windows = new HashMap<>();

	private final Map<String, Integer> unfinished = new HashMap<>();

	private final Map<String, AtomicInteger> unsettledTasks = new ConcurrentHashMap<>();

	private final CompletableFuture<Void> consumingStopped = new CompletableFuture<>();

	private final Thread thread;

	private volatile boolean consuming = true;

	private volatile boolean running = true;

	private volatile boolean killed;

	KafkaQueueConsumer(Supplier<Consumer<String, byte[]>> consumers, KafkaTopicNames names, KafkaPublisher publisher,
			KafkaArchive archive, BrokerContext context, DeliverySink sink, Predicate<String> paused) {
		this.consumers = consumers;
		this.names = names;
		this.publisher = publisher;
		this.archive = archive;
		this.context = context;
		this.sink = sink;
		this.paused = paused;
		this.thread = new Thread(this::run, "worker-kafka-consumer");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/** Stop offering records (every partition paused); settlements are still committed. */
	void stopConsuming() {
		this.consuming = false;
		try {
			this.consumingStopped.get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			logger.warn("The Kafka consumer did not confirm that it stopped consuming", ex);
		}
	}

	/** Commit what is settled and close the consumer. */
	void stop() {
		this.consuming = false;
		this.running = false;
		try {
			this.thread.join(COMMIT_TIMEOUT.toMillis() * 2);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Kill the consumer as a crashed instance loses it: at its next poll it is closed without
	 * committing, its deliveries can no longer be settled, and a new consumer joins the group and
	 * reads from the last commit.
	 */
	void kill() {
		this.killed = true;
	}

	/** The tasks of a queue offered here and not yet settled. */
	int unsettledTasks(String queue) {
		AtomicInteger count = this.unsettledTasks.get(queue);
		return (count != null) ? count.get() : 0;
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
			if (isLive(delivery) && delivery.window().settled(delivery.offset())) {
				this.unsettledTasks.get(delivery.window().queue()).decrementAndGet();
			}
		});
	}

	private void run() {
		while (this.running) {
			Consumer<String, byte[]> consumer = this.consumers.get();
			try {
				List<String> topics = this.context.queues().stream().map(this.names::queue).toList();
				consumer.subscribe(topics, new Rebalances(consumer));
				poll(consumer);
			}
			catch (KafkaException ex) {
				logger.warn("Kafka consumer failed; starting a new one", ex);
				this.killed = true;
				LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
			}
			finally {
				if (this.killed) {
					drop(new ArrayList<>(this.windows.keySet()));
				}
				else {
					runEvents();
					commitSync(consumer, this.windows.keySet());
				}
				close(consumer);
				this.killed = false;
			}
		}
		this.consumingStopped.complete(null);
	}

	private void poll(Consumer<String, byte[]> consumer) {
		while (this.running && !this.killed) {
			runEvents();
			pauseFullQueues(consumer);
			if (!this.consuming) {
				this.consumingStopped.complete(null);
			}
			try {
				if (this.buffered.isEmpty()) {
					buffer(consumer.poll(POLL_TIMEOUT));
				}
				else {
					// every partition with records waiting is paused: wait for a delivery to finish, not for a fetch
					awaitEvent();
					buffer(consumer.poll(Duration.ZERO));
				}
			}
			catch (WakeupException ex) {
				// woken to look at the flags
			}
			runEvents();
			offerBuffered();
			commitAsync(consumer);
		}
	}

	private void awaitEvent() {
		try {
			Runnable event = this.events.poll(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (event != null) {
				event.run();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	private void pauseFullQueues(Consumer<String, byte[]> consumer) {
		Set<TopicPartition> full = new HashSet<>();
		Set<TopicPartition> open = new HashSet<>();
		for (TopicPartition partition : consumer.assignment()) {
			boolean hold = this.buffered.containsKey(partition) || isFull(this.names.queueOf(partition.topic()));
			(hold ? full : open).add(partition);
		}
		consumer.pause(full);
		consumer.resume(open);
	}

	private boolean isFull(String queue) {
		return !this.consuming || this.paused.test(queue)
				|| this.unfinished.getOrDefault(queue, 0) >= this.context.prefetch(queue);
	}

	private void buffer(ConsumerRecords<String, byte[]> records) {
		for (TopicPartition partition : records.partitions()) {
			if (this.windows.containsKey(partition)) {
				this.buffered.computeIfAbsent(partition, (key) -> new ArrayDeque<>())
					.addAll(records.records(partition));
			}
		}
		offerBuffered();
	}

	/** Offer the records waiting in the buffer while their queue's window has room. */
	private void offerBuffered() {
		var partitions = this.buffered.entrySet().iterator();
		while (partitions.hasNext()) {
			var entry = partitions.next();
			PartitionWindow window = this.windows.get(entry.getKey());
			ArrayDeque<ConsumerRecord<String, byte[]>> records = entry.getValue();
			while (window != null && !records.isEmpty() && !isFull(window.queue())) {
				admit(window, records.poll());
			}
			if (window == null || records.isEmpty()) {
				partitions.remove();
			}
		}
	}

	/**
	 * Offer a record, or hold it in its key's lane while a task with the same key runs. A held record
	 * takes its place in the window (so a hot key cannot fill memory) and blocks the commit.
	 */
	private void admit(PartitionWindow window, ConsumerRecord<String, byte[]> record) {
		String key = record.key();
		KeyLanes lanes = window.lanes();
		if (key != null && lanes.busy(key)) {
			lanes.hold(key, record);
			window.held(record.offset());
			this.unfinished.merge(window.queue(), 1, Integer::sum);
			return;
		}
		if (offer(window, record) && key != null) {
			lanes.start(key);
		}
	}

	/** The task running with a key finished: offer the next record of its lane, if one waits. */
	private void nextInLane(PartitionWindow window, String key) {
		ConsumerRecord<String, byte[]> next;
		while ((next = window.lanes().finish(key)) != null) {
			this.unfinished.merge(window.queue(), -1, Integer::sum);
			if (offer(window, next)) {
				return;
			}
		}
	}

	/** Offer a record to the sink; {@code false} when it is not a task (it is archived as garbage). */
	private boolean offer(PartitionWindow window, ConsumerRecord<String, byte[]> record) {
		Map<String, String> headers = KafkaRecordCodec.fromRecordHeaders(record.headers());
		TaskMessage message;
		try {
			if (record.value() == null) {
				throw new IllegalArgumentException("the record has no value");
			}
			message = KafkaRecordCodec.read(headers, record.value());
		}
		catch (IllegalArgumentException ex) {
			archiveGarbage(window, record, "not a Worker task: " + ex.getMessage());
			return false;
		}
		int deliveryCount = Math.max(TransportHeaders.deliveryCount(headers),
				window.previousCount(record.offset()) + 1);
		KafkaDelivery delivery = new KafkaDelivery(window.partition(), record.offset(), message, headers,
				deliveryCount, window, this);
		window.offered(record.offset(), deliveryCount, delivery);
		this.unfinished.merge(window.queue(), 1, Integer::sum);
		this.unsettledTasks.computeIfAbsent(window.queue(), (queue) -> new AtomicInteger()).incrementAndGet();
		CompletionStage<Void> stage;
		try {
			stage = this.sink.offer(delivery);
		}
		catch (RuntimeException ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		String key = record.key();
		stage.whenComplete((ignored, failure) -> this.events.add(() -> finished(delivery, key, failure)));
		return true;
	}

	private void archiveGarbage(PartitionWindow window, ConsumerRecord<String, byte[]> record, String reason) {
		logger.warn("Archiving the record at {}/{}/{}: {}", record.topic(), record.partition(), record.offset(),
				reason);
		window.offered(record.offset(), 1, null);
		CompletableFuture.runAsync(() -> {
			try {
				this.archive.publishGarbage(window.queue(), record, reason).get();
				this.events.add(() -> {
					if (this.windows.get(window.partition()) == window) {
						window.settled(record.offset());
					}
				});
			}
			catch (Exception ex) {
				logger.warn("Could not archive the record at {}/{}/{}; it stays uncommitted", record.topic(),
						record.partition(), record.offset(), ex);
			}
		});
	}

	/**
	 * A delivery's stage completed: its place in the window is free, unsettled it is published again,
	 * and the next task with its key may run.
	 */
	private void finished(KafkaDelivery delivery, @Nullable String key, @Nullable Throwable failure) {
		this.unfinished.merge(delivery.window().queue(), -1, Integer::sum);
		if (failure != null && isLive(delivery) && delivery.claim()) {
			redeliver(delivery);
		}
		if (key != null && this.consuming && this.windows.get(delivery.partition()) == delivery.window()) {
			nextInLane(delivery.window(), key);
		}
	}

	private void redeliver(KafkaDelivery delivery) {
		CompletableFuture.runAsync(() -> {
			try {
				this.publisher.publishAsync(delivery.message(), delivery.deliveryCount() + 1).get();
				settled(delivery);
			}
			catch (Exception ex) {
				logger.warn("Could not publish task {} again after a failed delivery; trying again",
						delivery.message().id(), ex);
				this.events.add(() -> {
					if (isLive(delivery)) {
						redeliver(delivery);
					}
				});
			}
		});
	}

	private boolean isLive(KafkaDelivery delivery) {
		return !delivery.revoked() && this.windows.get(delivery.partition()) == delivery.window();
	}

	private void runEvents() {
		Runnable event;
		while ((event = this.events.poll()) != null) {
			event.run();
		}
	}

	/** Commit what changed, unless a commit is still on its way (its callback runs on this thread). */
	private void commitAsync(Consumer<String, byte[]> consumer) {
		if (this.commitInFlight) {
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> offsets = toCommit(this.windows.keySet());
		if (offsets.isEmpty()) {
			return;
		}
		Map<TopicPartition, PartitionWindow> sent = new HashMap<>();
		offsets.keySet().forEach((partition) -> sent.put(partition, this.windows.get(partition).committed()));
		this.commitInFlight = true;
		try {
			consumer.commitAsync(offsets, (committed, failure) -> {
				this.commitInFlight = false;
				if (failure != null) {
					logger.debug("Commit failed; trying again at the next poll", failure);
					sent.forEach((partition, window) -> window.uncommitted());
				}
			});
		}
		catch (KafkaException ex) {
			this.commitInFlight = false;
			sent.forEach((partition, window) -> window.uncommitted());
			logger.debug("Commit failed; trying again at the next poll", ex);
		}
	}

	private Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> partitions) {
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

	private void commitSync(Consumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> offsets = toCommit(partitions);
		if (offsets.isEmpty()) {
			return;
		}
		try {
			consumer.commitSync(offsets, COMMIT_TIMEOUT);
			offsets.keySet().forEach((partition) -> this.windows.get(partition).committed());
		}
		catch (KafkaException ex) {
			logger.debug("Commit failed; trying again at the next poll", ex);
		}
	}

	/** Forget partitions: their deliveries can no longer be settled and will be delivered elsewhere. */
	private void drop(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			this.buffered.remove(partition);
			PartitionWindow window = this.windows.remove(partition);
			if (window != null) {
				window.deliveries().forEach(KafkaDelivery::revoke);
				this.unfinished.merge(window.queue(), -window.lanes().held(), Integer::sum);
				AtomicInteger count = this.unsettledTasks.get(window.queue());
				if (count != null) {
					count.addAndGet(-window.unsettledTasks());
				}
			}
		}
	}

	private void close(Consumer<String, byte[]> consumer) {
		try {
			consumer.close(Duration.ofSeconds(5));
		}
		catch (RuntimeException ex) {
			logger.debug("Closing the Kafka consumer failed", ex);
		}
	}

	/** Commits what is settled before a partition goes, and reads the commit of a partition that comes. */
	private final class Rebalances implements ConsumerRebalanceListener {

		private final Consumer<String, byte[]> consumer;

		Rebalances(Consumer<String, byte[]> consumer) {
			this.consumer = consumer;
		}

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			if (!KafkaQueueConsumer.this.killed) {
				runEvents();
				commitSync(this.consumer, partitions);
			}
			drop(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			drop(partitions);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (partitions.isEmpty()) {
				return;
			}
			Map<TopicPartition, OffsetAndMetadata> committed = this.consumer.committed(new HashSet<>(partitions),
					COMMIT_TIMEOUT);
			for (TopicPartition partition : partitions) {
				KafkaQueueConsumer.this.windows.put(partition,
						new PartitionWindow(partition, KafkaQueueConsumer.this.names.queueOf(partition.topic()),
								committed.get(partition)));
			}
		}

	}

}
