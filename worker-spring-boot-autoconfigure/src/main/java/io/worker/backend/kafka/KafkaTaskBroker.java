package io.worker.backend.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.runtime.LogScheduleStore;
import io.worker.spi.BrokerContext;
import io.worker.spi.Capability;
import io.worker.spi.DeliverySink;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.ScheduleStore;
import io.worker.spi.TaskBroker;
import io.worker.spi.TaskMessage;
import io.worker.spi.UnsupportedSettingException;
import io.worker.spi.WorkerRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka backend, a {@link TaskBroker}: a topic per queue, one consumer per instance in the
 * worker servers' group whose poll thread only offers records ({@link KafkaQueueConsumer}), delay
 * tiers with a forwarder for delayed tasks and retries ({@link DelayTiers}), a dead-letter topic
 * per queue, a cancel broadcast, the recurring tasks' claim log ({@link KafkaScheduleLog}), paused
 * queues in a compacted control topic ({@link KafkaPauses}) and worker heartbeats in a compacted
 * topic ({@link KafkaWorkerRegistry}). Delivery is at least once. Close it to release its clients.
 */
public final class KafkaTaskBroker implements TaskBroker, AutoCloseable {

	/** What this backend can do; the README's backend table is checked against it. */
	public static final Set<Capability> CAPABILITIES = Collections
		.unmodifiableSet(EnumSet.of(Capability.DELAYED, Capability.LIST_ARCHIVED, Capability.PAUSE));

	private static final String NAME = "kafka";

	private final KafkaBackendSettings settings;

	private final Clock clock;

	private final Admin admin;

	private final KafkaTopicNames names;

	private final KafkaTopics topics;

	private final DelayTiers tiers;

	private final KafkaTaskSender sender;

	private final KafkaPublisher publisher;

	private final KafkaArchive archive;

	private final KafkaCancelChannel cancel;

	private final KafkaPauses pauses;

	private final KafkaWorkerRegistry workers;

	private final KafkaTaskInspector inspector;

	private final KafkaScheduleLog scheduleLog;

	private final LogScheduleStore schedules;

	/** Told of tasks dropped because Kafka refused them even truncated; the runtime's, once started. */
	private volatile @Nullable DeliverySink sink;

	private volatile @Nullable KafkaQueueConsumer consumer;

	private volatile @Nullable KafkaDelayForwarder forwarder;

	public KafkaTaskBroker(KafkaBackendSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.admin = Admin.create(settings.adminProperties());
		this.names = new KafkaTopicNames(settings.prefix());
		this.topics = new KafkaTopics(this.admin, settings);
		this.tiers = new DelayTiers(settings.delayTiers(), this.names);
		this.sender = new KafkaTaskSender(settings.producerProperties(), settings.sendTimeout());
		this.publisher = new KafkaPublisher(this.sender, this.topics, this.names, this.tiers, clock);
		ArchiveWriter archiveWriter = new ArchiveWriter(this.sender, this.topics::maxMessageBytes, this::dropped);
		this.archive = new KafkaArchive(this.sender, this.topics, this.names, () -> consumer(null), this.publisher,
				archiveWriter);
		this.cancel = new KafkaCancelChannel(this.names.cancel(), this.topics, this.sender, () -> consumer(null));
		this.pauses = new KafkaPauses(new KafkaStateTopic(this.names.control(), this.topics, this.sender,
				() -> consumer(null), settings.sendTimeout()), this.names);
		this.workers = new KafkaWorkerRegistry(new KafkaStateTopic(this.names.workers(), this.topics, this.sender,
				() -> consumer(null), settings.sendTimeout()), clock);
		this.inspector = new KafkaTaskInspector(this.topics, this.names, settings.prefix(), settings.groupId(),
				this.archive, this.cancel, this.pauses, this.workers, this::activeHere);
		this.scheduleLog = new KafkaScheduleLog(this.names.schedules(), this.topics, this.sender, this::logReader,
				settings.sendTimeout());
		this.schedules = new LogScheduleStore(this.scheduleLog);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Capability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
		List<EnqueueResult> results = new ArrayList<>();
		List<Future<RecordMetadata>> sends = new ArrayList<>();
		List<String> sentTo = new ArrayList<>();
		for (EnqueueRequest request : requests) {
			try {
				ProducerRecord<String, byte[]> record = this.publisher.record(request.message(), request.processAt(), 1);
				sends.add(this.sender.sendAsync(record));
				sentTo.add(record.topic());
				results.add(EnqueueResult.stored(info(request)));
			}
			catch (RuntimeException ex) {
				sends.add(CompletableFuture.failedFuture(ex));
				sentTo.add(request.message().queue());
				results.add(null);
			}
		}
		long deadline = System.nanoTime() + this.settings.sendTimeout().toNanos();
		for (int i = 0; i < requests.size(); i++) {
			try {
				this.sender.await(sends.get(i), sentTo.get(i), deadline);
			}
			catch (RuntimeException ex) {
				results.set(i, EnqueueResult.refused(refusal(requests.get(i).message(), ex)));
			}
		}
		return results;
	}

	@Override
	public TaskInspector inspector() {
		return this.inspector;
	}

	/** The recurring tasks, in the claim log of the {@code <prefix>.schedules} topic ({@link KafkaScheduleLog}). */
	@Override
	public ScheduleStore scheduleStore() {
		return this.schedules;
	}

	@Override
	public void onCancel(Consumer<String> listener) {
		this.cancel.listen(listener);
	}

	@Override
	public WorkerRegistry workerRegistry() {
		return this.workers;
	}

	@Override
	public void ping() {
		try {
			this.admin.describeCluster().clusterId().get(this.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw new IllegalStateException("Kafka is not reachable: " + ex, ex);
		}
	}

	@Override
	public void start(BrokerContext context, DeliverySink sink) {
		this.sink = sink;
		if (context.strictPriority()) {
			throw new UnsupportedSettingException(NAME, "worker.server.strict-priority",
					"a consumer fetches from every assigned partition at once and cannot hold one queue's "
							+ "records back while another queue has some");
		}
		for (String queue : context.queues()) {
			this.topics.ensure(this.names.queue(queue), KafkaTopics.Kind.QUEUE);
			this.topics.ensure(this.names.archive(queue), KafkaTopics.Kind.ARCHIVE);
		}
		this.tiers.topics().forEach((topic) -> this.topics.ensure(topic, KafkaTopics.Kind.QUEUE));
		this.scheduleLog.ensureTopic();
		KafkaDelayForwarder delays = new KafkaDelayForwarder(() -> consumer(this.settings.groupId() + ".delays"),
				this.tiers, this.sender, this.settings.sendTimeout(), this.clock, this::forwardRefused);
		// a queue paused before this instance started stays paused: read the pauses before consuming
		this.pauses.awaitCaughtUp();
		KafkaQueueConsumer queues = new KafkaQueueConsumer(() -> consumer(this.settings.groupId()), this.names,
				this.publisher, this.archive, context, sink, this.pauses::knownPaused);
		this.forwarder = delays;
		this.consumer = queues;
		delays.start();
		queues.start();
	}

	@Override
	public void stopConsuming() {
		KafkaQueueConsumer queues = this.consumer;
		if (queues != null) {
			queues.stopConsuming();
		}
	}

	@Override
	public void stop() {
		KafkaQueueConsumer queues = this.consumer;
		if (queues != null) {
			queues.stop();
		}
		KafkaDelayForwarder delays = this.forwarder;
		if (delays != null) {
			delays.stop();
		}
	}

	/** Stop consuming and release every client. */
	@Override
	public void close() {
		stop();
		this.cancel.close();
		this.scheduleLog.close();
		this.pauses.close();
		this.workers.close();
		this.sender.close();
		this.admin.close();
	}

	/** The recurring tasks' log (for tests). */
	KafkaScheduleLog scheduleLog() {
		return this.scheduleLog;
	}

	/** Kill the queue consumer as a crash would (for tests): see {@link KafkaQueueConsumer#kill()}. */
	void killConsumer() {
		KafkaQueueConsumer queues = this.consumer;
		if (queues != null) {
			queues.kill();
		}
	}

	/** Delete the topics of the given queues, the delay tiers and the backend's own topics (for tests). */
	void deleteTopics(Collection<String> queues) {
		List<String> doomed = new ArrayList<>(this.tiers.topics());
		doomed.add(this.names.cancel());
		doomed.add(this.names.schedules());
		doomed.add(this.names.control());
		doomed.add(this.names.workers());
		for (String queue : queues) {
			doomed.add(this.names.queue(queue));
			doomed.add(this.names.archive(queue));
		}
		doomed.retainAll(this.topics.names());
		this.topics.delete(doomed);
	}

	private static TaskEnqueueException refusal(TaskMessage message, RuntimeException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TaskEnqueueException refused) {
				return refused;
			}
			if (cause instanceof InvalidTopicException invalid) {
				// a name that collides with an existing topic ('.' and '_' are the same to Kafka), for one
				return new TaskEnqueueException("The kafka backend cannot use queue '" + message.queue()
						+ "': Kafka refuses its topic: " + invalid.getMessage(), ex);
			}
		}
		return new TaskEnqueueException("The kafka backend could not store task " + message.id() + " of queue "
				+ message.queue() + ": " + ex.getMessage(), ex);
	}

	/**
	 * A delayed record that its queue topic refuses as too large is archived, since it would be
	 * refused every time: as a task, or as it came when it is not one.
	 */
	private void forwardRefused(ConsumerRecord<String, byte[]> record, RuntimeException refusal) {
		Map<String, String> headers = KafkaRecordCodec.fromRecordHeaders(record.headers());
		String target = headers.get(TransportHeaders.TARGET);
		String forward = " forwarded from delay tier " + record.topic() + " to " + target;
		TaskMessage task;
		try {
			task = KafkaRecordCodec.read(headers, record.value());
		}
		catch (IllegalArgumentException ex) {
			this.archive.publishGarbage(this.names.queueOf(target), record,
					"the record" + forward + KafkaArchive.tooLarge(refusal) + ", and it is not a Worker task: "
							+ ex.getMessage());
			return;
		}
		String what = ((task.retried() > 0) ? "the retry" : "the delayed task") + forward;
		this.archive.archiveRefused(task, record.topic() + "/" + record.partition() + "/" + record.offset(),
				what + KafkaArchive.tooLarge(refusal));
	}

	private void dropped(String queue) {
		DeliverySink sink = this.sink;
		if (sink != null) {
			sink.dropped(queue, "too-large");
		}
	}

	private int activeHere(String queue) {
		KafkaQueueConsumer queues = this.consumer;
		return (queues != null) ? queues.unsettledTasks(queue) : 0;
	}

	private TaskInfo info(EnqueueRequest request) {
		TaskMessage message = request.message();
		Instant processAt = request.processAt();
		boolean later = processAt != null && processAt.isAfter(this.clock.instant());
		return new TaskInfo(message.id(), message.type(), message.queue(),
				later ? TaskState.SCHEDULED : TaskState.PENDING, later ? processAt : message.enqueuedAt());
	}

	/**
	 * The schedules log's reader: without a group, and with a short fetch wait, since a read waits
	 * for a fetch the consumer left pending at the end of the log after the previous read.
	 */
	private KafkaConsumer<String, byte[]> logReader() {
		return consumer(null, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10));
	}

	/** A consumer in the given group, or without a group (to read by assignment) when it is null. */
	private KafkaConsumer<String, byte[]> consumer(@Nullable String groupId) {
		return consumer(groupId, Map.of());
	}

	private KafkaConsumer<String, byte[]> consumer(@Nullable String groupId, Map<String, Object> overrides) {
		Map<String, Object> config = new HashMap<>(this.settings.consumerProperties());
		config.putAll(overrides);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		if (groupId != null) {
			config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
		}
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
	}

}
