package io.worker.backend.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.worker.spi.BrokerContext;
import io.worker.spi.DeliverySink;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's one consumer of its queue topics and its poll loop. The poll thread never runs a
 * handler: it hands what it fetches to the runtime ({@link RecordHandOff}, which worker threads
 * also refill from what was fetched), pauses the partitions
 * the hand-off holds (queue paused, or enough records buffered) and keeps polling, runs the settlements
 * that arrived between polls, and commits each partition up to its lowest unsettled offset
 * ({@link PartitionWindows}, {@link OffsetCommits}). A paused queue ({@link KafkaPauses}) keeps
 * its partitions paused. {@code KafkaConsumer} is not thread-safe, so
 * everything that touches it runs on this thread. A consumer that fails is closed and replaced by
 * a new one, which joins the group and reads from the last commit.
 */
final class KafkaQueueConsumer {

	private static final Logger logger = LoggerFactory.getLogger(KafkaQueueConsumer.class);

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);

	/**
	 * How long a poll waits for a fetch while records are buffered: short, since the settlements
	 * that arrive meanwhile wait for it (the worker threads run most of them themselves).
	 */
	private static final Duration FETCH_AHEAD_TIMEOUT = Duration.ofMillis(5);

	private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

	private final Supplier<Consumer<String, byte[]>> consumers;

	private final KafkaTopicNames names;

	private final BrokerContext context;

	private final PartitionWindows windows;

	private final OffsetCommits commits;

	private final RecordHandOff handOff;

	private final CompletableFuture<Void> consumingStopped = new CompletableFuture<>();

	private final Thread thread;

	private volatile boolean consuming = true;

	private volatile boolean running = true;

	private volatile boolean killed;

	KafkaQueueConsumer(Supplier<Consumer<String, byte[]>> consumers, KafkaTopicNames names, KafkaPublisher publisher,
			KafkaArchive archive, BrokerContext context, DeliverySink sink, Predicate<String> paused) {
		this.consumers = consumers;
		this.names = names;
		this.context = context;
		this.windows = new PartitionWindows(names);
		this.commits = new OffsetCommits(this.windows, COMMIT_TIMEOUT);
		this.handOff = new RecordHandOff(this.windows, publisher, archive, context, sink, paused);
		this.thread = new Thread(this::run, "worker-kafka-consumer");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/** Stop offering records (every partition paused); settlements are still committed. */
	void stopConsuming() {
		this.consuming = false;
		this.handOff.stopOffering();
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
		this.handOff.stopOffering();
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
		return this.windows.unsettledTasks(queue);
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
					this.handOff.drop(this.windows.locked(() -> new ArrayList<>(this.windows.partitions())));
				}
				else {
					this.handOff.runEvents();
					this.commits.commitSync(consumer,
							this.windows.locked(() -> new ArrayList<>(this.windows.partitions())));
				}
				close(consumer);
				this.killed = false;
			}
		}
		this.consumingStopped.complete(null);
	}

	private void poll(Consumer<String, byte[]> consumer) {
		while (this.running && !this.killed) {
			this.handOff.runEvents();
			boolean fetching = pauseHeldPartitions(consumer);
			if (!this.consuming) {
				this.consumingStopped.complete(null);
			}
			try {
				if (!this.handOff.hasBuffered()) {
					this.handOff.buffer(consumer.poll(POLL_TIMEOUT));
				}
				else if (fetching) {
					// fetch ahead while the buffer feeds the window
					this.handOff.buffer(consumer.poll(FETCH_AHEAD_TIMEOUT));
				}
				else {
					// every partition is paused: wait for a delivery to finish, not for a fetch
					awaitEvent();
					this.handOff.buffer(consumer.poll(Duration.ZERO));
				}
			}
			catch (WakeupException ex) {
				// woken to look at the flags
			}
			this.handOff.runEvents();
			this.handOff.offerBuffered();
			this.commits.commitAsync(consumer);
		}
	}

	private void awaitEvent() {
		try {
			this.handOff.awaitEvent(POLL_TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

	/** Pause the partitions the hand-off holds and resume the others; returns whether any is fetched. */
	private boolean pauseHeldPartitions(Consumer<String, byte[]> consumer) {
		Set<TopicPartition> held = new HashSet<>();
		Set<TopicPartition> open = new HashSet<>();
		for (TopicPartition partition : consumer.assignment()) {
			boolean hold = this.handOff.holds(partition, this.names.queueOf(partition.topic()));
			(hold ? held : open).add(partition);
		}
		consumer.pause(held);
		consumer.resume(open);
		return !open.isEmpty();
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
				KafkaQueueConsumer.this.handOff.runEvents();
				KafkaQueueConsumer.this.commits.commitSync(this.consumer, partitions);
			}
			KafkaQueueConsumer.this.handOff.drop(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			KafkaQueueConsumer.this.handOff.drop(partitions);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (partitions.isEmpty()) {
				return;
			}
			Map<TopicPartition, OffsetAndMetadata> committed = this.consumer.committed(new HashSet<>(partitions),
					COMMIT_TIMEOUT);
			KafkaQueueConsumer.this.windows.locked(() -> KafkaQueueConsumer.this.windows.assigned(partitions, committed));
		}

	}

}
