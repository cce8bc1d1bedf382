package io.worker.backend.rabbitmq;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.backend.rabbitmq.RabbitPublisher.PublishException;
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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * The RabbitMQ backend, a {@link TaskBroker} over Spring AMQP's {@link ConnectionFactory}.
 * <p>
 * Each Worker queue is a durable queue ({@code <prefix>.queue.<name>}, quorum by default) with an
 * archive stream ({@code <prefix>.archive.<name>}, {@link RabbitArchive}); delays and retries go through binary delay levels
 * ({@link RabbitNames}) with no plugin. Enqueue publishes persistent, {@code mandatory} messages
 * with publisher confirms and returns once a batch is confirmed. Each served queue is consumed on a
 * channel of its own with manual acks and the runtime's prefetch; the runtime runs the handlers and
 * settles through {@link RabbitDelivery}. Publishing uses the factory's publisher connection when it
 * has one, so that flow control on publishes does not hold back acknowledgements.
 */
public final class RabbitTaskBroker implements TaskBroker, InitializingBean, DisposableBean {

	/** What this backend can do; the README's backend table is checked against it. */
	public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.DELAYED, Capability.LIST_ARCHIVED, Capability.PAUSE));

	private static final Logger logger = LoggerFactory.getLogger(RabbitTaskBroker.class);

	private final ConnectionFactory connectionFactory;

	private final RabbitSettings settings;

	private final Set<String> initialQueues;

	private final Clock clock;

	private final RabbitNames names;

	private final RabbitRouter router;

	private final RabbitTopology topology;

	private final RabbitPublisher publisher;

	private final RabbitCancelBroadcast cancels;

	private final RabbitTaskInspector inspector;

	private final RabbitPauses pauses;

	private final RabbitWorkerRegistry workers;

	private final LogScheduleStore schedules;

	private final ScheduledExecutorService scheduler;

	private final Map<String, RabbitQueueConsumer> consumers = new ConcurrentHashMap<>();

	/**
	 * @param queues the Worker queues to declare at startup; others are declared on first use
	 */
	public RabbitTaskBroker(ConnectionFactory connectionFactory, RabbitSettings settings, Collection<String> queues,
			Clock clock) {
		this.connectionFactory = connectionFactory;
		this.settings = settings;
		this.initialQueues = new LinkedHashSet<>(queues);
		this.clock = clock;
		this.names = new RabbitNames(settings.prefix());
		this.router = new RabbitRouter(this.names);
		this.topology = new RabbitTopology(connectionFactory, this.names, settings);
		ConnectionFactory publishing = connectionFactory.getPublisherConnectionFactory();
		this.publisher = new RabbitPublisher((publishing != null) ? publishing : connectionFactory,
				settings.confirmTimeout());
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "worker-rabbitmq-reconnect");
			thread.setDaemon(true);
			return thread;
		});
		this.cancels = new RabbitCancelBroadcast(this.names, this.topology, connectionFactory, this.scheduler, this.publisher);
		this.pauses = new RabbitPauses(this.names, this.topology, connectionFactory, this.scheduler, this.publisher,
				settings.confirmTimeout().multipliedBy(3));
		this.pauses.onChange(this::pausedOrResumed);
		RabbitStreamReader reader = new RabbitStreamReader(connectionFactory, this.publisher,
				settings.confirmTimeout().multipliedBy(3));
		this.schedules = new LogScheduleStore(new RabbitScheduleLog(this.names, this.topology, this.publisher, reader));
		this.workers = new RabbitWorkerRegistry(this.names, this.publisher, reader, clock, this::unsettledHere);
		RabbitArchive archive = new RabbitArchive(reader, this.names, this.topology, this.publisher,
				settings.archiveMaxSize(), clock);
		this.inspector = new RabbitTaskInspector(connectionFactory, this.names, this.topology, this.cancels, archive,
				this.pauses, this.workers);
	}

	/**
	 * Declare the topology of the startup queues. An object declared before with other arguments
	 * fails startup; an unreachable broker does not (the objects are declared on first use).
	 */
	@Override
	public void afterPropertiesSet() {
		try {
			this.topology.declare(this.initialQueues);
		}
		catch (AmqpException ex) {
			logger.warn("RabbitMQ is not reachable; Worker declares its queues once it is: {}", ex.toString());
		}
	}

	@Override
	public String name() {
		return "rabbitmq";
	}

	@Override
	public Set<Capability> capabilities() {
		return CAPABILITIES;
	}

	@Override
	public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
		Instant now = this.clock.instant();
		List<@Nullable RuntimeException> refusals = new ArrayList<>();
		List<Outgoing> outgoing = new ArrayList<>();
		List<Integer> published = new ArrayList<>();
		for (int i = 0; i < requests.size(); i++) {
			EnqueueRequest request = requests.get(i);
			try {
				this.topology.declare(List.of(request.message().queue()));
				outgoing.add(this.router.task(request.message(), request.processAt(), now));
				published.add(i);
				refusals.add(null);
			}
			catch (IllegalArgumentException | AmqpException | RabbitTopology.RabbitTopologyException ex) {
				refusals.add(refused(request.message(), ex.getMessage(), ex));
			}
		}
		List<@Nullable PublishException> failures = this.publisher.publishAll(outgoing).await();
		for (int i = 0; i < published.size(); i++) {
			PublishException failure = failures.get(i);
			if (failure != null) {
				int index = published.get(i);
				refusals.set(index, refused(requests.get(index).message(), failure.getMessage(), failure));
			}
		}
		List<EnqueueResult> results = new ArrayList<>(requests.size());
		for (int i = 0; i < requests.size(); i++) {
			RuntimeException refusal = refusals.get(i);
			results.add((refusal != null) ? EnqueueResult.refused(refusal) : EnqueueResult.stored(info(requests.get(i), now)));
		}
		return results;
	}

	@Override
	public TaskInspector inspector() {
		return this.inspector;
	}

	/** Heartbeats go to the heartbeat stream, which any instance reads for {@code workers()}. */
	/** The schedules, kept in the stream {@code <prefix>.schedules} ({@link RabbitScheduleLog}). */
	@Override
	public ScheduleStore scheduleStore() {
		return this.schedules;
	}

	@Override
	public WorkerRegistry workerRegistry() {
		return this.workers;
	}

	@Override
	public void onCancel(Consumer<String> listener) {
		this.cancels.listen(listener);
	}

	@Override
	public void ping() {
		if (!this.connectionFactory.createConnection().isOpen()) {
			throw new IllegalStateException("The connection to RabbitMQ is closed");
		}
	}

	@Override
	public void start(BrokerContext context, DeliverySink sink) {
		if (context.strictPriority()) {
			throw new UnsupportedSettingException(name(), "worker.server.strict-priority",
					"each queue is consumed on its own channel, and RabbitMQ cannot hold one queue's deliveries back "
							+ "until another is empty");
		}
		for (String queue : context.queues()) {
			RabbitNames.checkQueueName(queue);
		}
		logVersion();
		try {
			this.topology.declare(context.queues());
		}
		catch (AmqpException ex) {
			logger.warn("RabbitMQ is not reachable; Worker consumes its queues once it is: {}", ex.toString());
		}
		try {
			this.pauses.awaitCaughtUp();
		}
		catch (IllegalStateException ex) {
			logger.warn("Consuming every queue, paused or not, until the pause state can be read: {}", ex.getMessage());
		}
		for (String queue : context.queues()) {
			RabbitQueueConsumer consumer = new RabbitQueueConsumer(queue, context.prefetch(queue),
					context.workerId() + "/" + queue, this.connectionFactory, this.scheduler, this.topology, this.names,
					this.settings.queueType(), this.publisher, sink, this.clock, this.settings.consumerTimeout());
			this.consumers.put(queue, consumer);
			try {
				// registered first, so that a pause arriving now reaches it
				if (this.pauses.knownPaused(queue)) {
					consumer.pause();
				}
				consumer.start();
			}
			catch (RuntimeException ex) {
				stop();
				throw ex;
			}
		}
		logger.info("Consuming RabbitMQ queues {} under prefix '{}'", context.queues(), this.settings.prefix());
	}

	@Override
	public void stopConsuming() {
		this.consumers.values().forEach(RabbitQueueConsumer::stopConsuming);
	}

	@Override
	public void stop() {
		this.consumers.values().forEach(RabbitQueueConsumer::close);
		this.consumers.clear();
	}

	@Override
	public void destroy() {
		stop();
		this.pauses.close();
		this.cancels.close();
		this.publisher.close();
		this.scheduler.shutdownNow();
	}

	/**
	 * The tasks waiting in the delay levels, scheduled and retrying alike, of every queue under the
	 * prefix together: the levels are shared by all queues, and RabbitMQ counts a queue's messages,
	 * not those of one routing key, so neither the inspector's per-queue counts nor this total can
	 * tell them apart.
	 */
	public long delayedTasks() {
		return this.inspector.delayedTasks();
	}

	/** What the broker's version means for this backend, said once at start. */
	private void logVersion() {
		RabbitServerVersion version;
		try {
			version = RabbitServerVersion.of(this.connectionFactory.createConnection().getDelegate().getServerProperties());
		}
		catch (AmqpException ex) {
			return;
		}
		logger.info("RabbitMQ {}: {}; quorum queues declared with x-delivery-limit={} (the broker's default: {})",
				version, version.perConsumerTimeout()
						? "consumers ask for a " + this.settings.consumerTimeout() + " acknowledgement timeout"
						: "deliveries unacknowledged past the broker's consumer_timeout are delivered again (per-consumer "
								+ "timeouts need RabbitMQ 3.12)",
				this.settings.deliveryLimit(),
				(version.defaultDeliveryLimit() > 0) ? version.defaultDeliveryLimit() : "none");
	}

	/** This instance's deliveries taken and not settled, per queue it consumes. */
	private Map<String, Integer> unsettledHere() {
		Map<String, Integer> unsettled = new TreeMap<>();
		this.consumers.forEach((queue, consumer) -> unsettled.put(queue, consumer.unsettled()));
		return unsettled;
	}

	private void pausedOrResumed(String queue, boolean paused) {
		RabbitQueueConsumer consumer = this.consumers.get(queue);
		if (consumer != null) {
			logger.info("Queue '{}' {}", queue, paused ? "paused: taking none of its tasks" : "resumed");
			if (paused) {
				consumer.pause();
			}
			else {
				consumer.resume();
			}
		}
	}

	private static TaskInfo info(EnqueueRequest request, Instant now) {
		TaskMessage message = request.message();
		Instant processAt = request.processAt();
		boolean later = processAt != null && processAt.isAfter(now);
		return new TaskInfo(message.id(), message.type(), message.queue(), later ? TaskState.SCHEDULED : TaskState.PENDING,
				later ? processAt : message.enqueuedAt());
	}

	private static TaskEnqueueException refused(TaskMessage message, @Nullable String reason, Throwable cause) {
		return new TaskEnqueueException("RabbitMQ did not take task '" + message.id() + "' of queue '" + message.queue()
				+ "': " + reason, cause);
	}

}
