package io.worker.runtime;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.worker.WorkerInfo;
import io.worker.spi.QueueRateLimiter;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskBroker;
import io.worker.spi.TaskStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * A worker server: starts the background components over its backend and stops them in order.
 * <p>
 * Starts, for a {@link TaskStore}: heartbeater, forwarder, recoverer, janitor, then the processor;
 * for a {@link TaskBroker}: the broker's delivery. Stops the processor (or the broker) first, so
 * no new task starts and running ones drain within the shutdown timeout, then the maintenance
 * components, then removes the server's registration. Its phase makes it stop before the
 * connection factories it uses.
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

	private @Nullable Processor processor;

	private @Nullable ScheduledExecutorService scheduler;

	private List<PeriodicComponent> components = List.of();

	private Map<String, Integer> queues = Map.of();

	public WorkerServer(TaskBackend backend, TaskExecutor executor, ActiveTasks activeTasks,
			TaskSettingsResolver taskSettings, TaskHandlerRegistry handlers, ServerSettings settings,
			TaskEventListener listener, Clock clock) {
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

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.startedAt = this.clock.instant();
		this.queues = queuesToServe();
		this.backend.onCancel(this.activeTasks::cancel);
		if (this.backend instanceof TaskStore store) {
			startStore(store);
		}
		else if (this.backend instanceof TaskBroker broker) {
			broker.start(this.executor::execute);
		}
		else {
			throw new IllegalStateException("Backend " + this.backend.name() + " is neither a TaskStore nor a TaskBroker");
		}
		this.running = true;
		logger.info("Worker server {} started on the {} backend: concurrency {}, queues {}{}", this.id,
				this.backend.name(), this.settings.concurrency(), this.queues,
				this.settings.strictPriority() ? " (strict priority)" : "");
	}

	private void startStore(TaskStore store) {
		QueueRateLimiter rateLimiter = store.sharedRateLimiter(this.settings.rateLimits());
		if (rateLimiter == null) {
			rateLimiter = new LocalQueueRateLimiter(this.settings.rateLimits(), this.clock);
		}
		this.processor = new Processor(store, this.executor,
				new QueueSelector(this.queues, this.settings.strictPriority(), new Random()), this.settings.queueCaps(),
				rateLimiter, this.settings.rateLimits().keySet(), this.activeTasks, this.settings.concurrency());
		this.components = List.of(
				new Heartbeater(store, this.activeTasks, this::info, this.listener, this.clock,
						this.settings.heartbeatInterval()),
				new Forwarder(store, this.clock, this.settings.forwardInterval()),
				new Recoverer(store, this.clock, this.settings.recoverInterval()),
				new Janitor(store, this.clock, this.settings.janitorInterval()));
		ScheduledExecutorService maintenance = Executors.newScheduledThreadPool(2,
				Processor.named("worker-maintenance-", false));
		this.scheduler = maintenance;
		this.components.forEach((component) -> component.start(maintenance));
		this.processor.start();
	}

	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		if (this.backend instanceof TaskBroker broker) {
			broker.stop();
		}
		if (this.processor != null) {
			this.processor.stop(this.settings.shutdownTimeout());
		}
		this.components.forEach(PeriodicComponent::stop);
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		if (this.backend instanceof TaskStore store) {
			try {
				store.unregister(this.id);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not unregister worker server {}: {}", this.id, ex.toString());
			}
		}
		logger.info("Worker server {} stopped", this.id);
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
