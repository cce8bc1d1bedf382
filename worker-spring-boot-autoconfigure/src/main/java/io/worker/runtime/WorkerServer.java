package io.worker.runtime;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

import io.worker.WorkerInfo;
import io.worker.spi.BrokerContext;
import io.worker.spi.QueueRateLimiter;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskBroker;
import io.worker.spi.TaskStore;
import io.worker.spi.WorkerRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * A worker server: runs its backend's tasks on one {@link WorkerPool} and starts and stops the
 * background components around it in order.
 * <p>
 * Starts the lease extender, the heartbeater (when the backend keeps a {@link WorkerRegistry}) and,
 * for a {@link TaskStore}, the forwarder, recoverer and janitor; then the pool and its feeder: a
 * {@link StoreFetcher} pulling from the store, or a {@link BrokerDispatcher} the {@link TaskBroker}
 * pushes into. Stops the feeder first (the broker stops consuming), so no new task starts; lets
 * running tasks drain within the shutdown timeout, interrupts and hands back the rest; then stops
 * the broker, the components, and removes the server's registration. Its phase makes it stop
 * before the connection factories it uses.
 */
public final class WorkerServer implements SmartLifecycle {

	/** Stops with message listener containers, before connection factories. */
	public static final int PHASE = Integer.MAX_VALUE - 100;

	private static final Logger logger = LoggerFactory.getLogger(WorkerServer.class);

	private final TaskBackend backend;

	private final TaskExecutor executor;

	private final ActiveTasks activeTasks;

	private final TaskSettingsResolver taskSettings;

	private final TaskHandlerRegistry handlers;

	private final ServerSettings settings;

	private final TaskEventListener listener;

	private final Clock clock;

	private final String host = host();

	private final String id;

	private volatile boolean running;

	private @Nullable Instant startedAt;

	private @Nullable WorkerPool pool;

	private @Nullable StoreFetcher fetcher;

	private @Nullable BrokerDispatcher dispatcher;

	private @Nullable ScheduledExecutorService scheduler;

	private List<PeriodicComponent> components = List.of();

	private Map<String, Integer> queues = Map.of();

	private ThreadFactory handlerThreads = WorkerPool.named("worker-", false);

	public WorkerServer(TaskBackend backend, TaskExecutor executor, ActiveTasks activeTasks,
			TaskSettingsResolver taskSettings, TaskHandlerRegistry handlers, ServerSettings settings,
			TaskEventListener listener, Clock clock) {
		if (!(backend instanceof TaskStore) && !(backend instanceof TaskBroker)) {
			throw new IllegalArgumentException(
					"Backend " + backend.name() + " is neither a TaskStore nor a TaskBroker");
		}
		this.backend = backend;
		this.executor = executor;
		this.activeTasks = activeTasks;
		this.taskSettings = taskSettings;
		this.handlers = handlers;
		this.settings = settings;
		this.listener = listener;
		this.clock = clock;
		this.id = this.host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Run handlers on threads from this factory, such as virtual threads; platform threads named
	 * {@code worker-<n>} by default. The pool keeps {@link ServerSettings#concurrency()} of them.
	 * @param handlerThreads the factory of the worker pool's threads
	 */
	public void setHandlerThreads(ThreadFactory handlerThreads) {
		this.handlerThreads = handlerThreads;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.startedAt = this.clock.instant();
		this.queues = queuesToServe();
		this.backend.onCancel(this.activeTasks::cancel);
		QueueRateLimiter rateLimiter = this.backend.sharedRateLimiter(this.settings.rateLimits());
		if (rateLimiter == null) {
			rateLimiter = new LocalQueueRateLimiter(this.settings.rateLimits(), this.clock);
		}
		WorkerPool workerPool = new WorkerPool(this.executor,
				new QueueSelector(this.queues, this.settings.strictPriority(), new Random()), this.settings.queueCaps(),
				rateLimiter, this.settings.rateLimits().keySet(), this.activeTasks, this.settings.concurrency(),
				this.handlerThreads);
		this.pool = workerPool;
		startComponents();
		workerPool.start();
		if (this.backend instanceof TaskStore store) {
			this.fetcher = new StoreFetcher(store, workerPool);
			this.fetcher.start();
		}
		else if (this.backend instanceof TaskBroker broker) {
			this.dispatcher = new BrokerDispatcher(broker.name(), workerPool, this.listener);
			this.dispatcher.start();
			try {
				broker.start(brokerContext(), this.dispatcher);
			}
			catch (RuntimeException ex) {
				stopAfterFailedStart();
				throw ex;
			}
		}
		this.running = true;
		logger.info("Worker server {} started on the {} backend: concurrency {}, queues {}{}", this.id,
				this.backend.name(), this.settings.concurrency(), this.queues,
				this.settings.strictPriority() ? " (strict priority)" : "");
	}

	/** What a broker is told at start. */
	BrokerContext brokerContext() {
		return new BrokerContext(this.id, this.queues, this.settings.strictPriority(), this.settings.queueCaps(),
				this.settings.rateLimits(), this.settings.concurrency(), this.settings.shutdownTimeout());
	}

	private void startComponents() {
		List<PeriodicComponent> started = new ArrayList<>();
		started.add(new LeaseExtender(this.activeTasks, this.settings.heartbeatInterval()));
		WorkerRegistry registry = this.backend.workerRegistry();
		if (registry != null) {
			started.add(new Heartbeater(registry, this::info, this.listener, this.clock,
					this.settings.heartbeatInterval()));
		}
		if (this.backend instanceof TaskStore store) {
			started.add(new Forwarder(store, this.clock, this.settings.forwardInterval()));
			started.add(new Recoverer(store, this.clock, this.settings.recoverInterval()));
			started.add(new Janitor(store, this.clock, this.settings.janitorInterval()));
		}
		this.components = List.copyOf(started);
		ScheduledExecutorService maintenance = Executors.newScheduledThreadPool(2,
				WorkerPool.named("worker-maintenance-", false));
		this.scheduler = maintenance;
		this.components.forEach((component) -> component.start(maintenance));
	}

	private void stopAfterFailedStart() {
		if (this.dispatcher != null) {
			this.dispatcher.stop();
		}
		if (this.pool != null) {
			this.pool.stop(Duration.ZERO);
		}
		stopComponents();
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		if (this.fetcher != null) {
			this.fetcher.stop();
		}
		if (this.backend instanceof TaskBroker broker) {
			stopConsuming(broker);
		}
		if (this.dispatcher != null) {
			this.dispatcher.stop();
		}
		if (this.pool != null) {
			this.pool.stop(this.settings.shutdownTimeout());
		}
		if (this.backend instanceof TaskBroker broker) {
			stopBroker(broker);
		}
		stopComponents();
		WorkerRegistry registry = this.backend.workerRegistry();
		if (registry != null) {
			try {
				registry.unregister(this.id);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not unregister worker server {}: {}", this.id, ex.toString());
			}
		}
		logger.info("Worker server {} stopped", this.id);
	}

	private void stopConsuming(TaskBroker broker) {
		try {
			broker.stopConsuming();
		}
		catch (RuntimeException ex) {
			logger.warn("The {} backend did not stop consuming cleanly: {}", broker.name(), ex.toString());
		}
	}

	private void stopBroker(TaskBroker broker) {
		try {
			broker.stop();
		}
		catch (RuntimeException ex) {
			logger.warn("The {} backend did not stop cleanly: {}", broker.name(), ex.toString());
		}
	}

	private void stopComponents() {
		this.components.forEach(PeriodicComponent::stop);
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** This server as registered with the backend. */
	public WorkerInfo info() {
		Instant now = this.clock.instant();
		return new WorkerInfo(this.id, this.host, ProcessHandle.current().pid(), this.settings.concurrency(), this.queues,
				this.settings.strictPriority(), (this.startedAt != null) ? this.startedAt : now,
				this.activeTasks.size(), now);
	}

	/** The configured queues, plus every queue a local handler's tasks go to (weight 1). */
	private Map<String, Integer> queuesToServe() {
		Map<String, Integer> weights = new LinkedHashMap<>(this.settings.queueWeights());
		this.handlers.all().forEach((handler) -> weights.putIfAbsent(this.taskSettings.resolve(handler.type()).queue(), 1));
		this.taskSettings.options().forEach((type, options) -> {
			if (options.queue() != null) {
				weights.putIfAbsent(options.queue(), 1);
			}
		});
		return weights;
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return ManagementFactory.getRuntimeMXBean().getName();
		}
	}

}
