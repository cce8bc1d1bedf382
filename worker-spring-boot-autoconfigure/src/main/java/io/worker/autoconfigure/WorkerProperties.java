package io.worker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.worker.runtime.Backoff;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for Worker.
 */
@ConfigurationProperties("worker")
public class WorkerProperties {

	/**
	 * Whether Worker is enabled. When disabled, the TaskClient discards every task and no server runs.
	 */
	private boolean enabled = true;

	/**
	 * Backend that stores and delivers tasks.
	 */
	private Backend backend = Backend.MEMORY;

	private final Client client = new Client();

	private final Server server = new Server();

	/**
	 * Queues by name. When none is configured: critical (weight 6), default (3) and low (1).
	 */
	private final Map<String, Queue> queues = new LinkedHashMap<>();

	private final Defaults defaults = new Defaults();

	/**
	 * Per task type settings, by type. Types containing ':' need bracket notation, for example
	 * worker.tasks[email:send].enabled.
	 */
	private final Map<String, TaskType> tasks = new LinkedHashMap<>();

	private final Archive archive = new Archive();

	private final Memory memory = new Memory();

	private final Limits limits = new Limits();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Backend getBackend() {
		return this.backend;
	}

	public void setBackend(Backend backend) {
		this.backend = backend;
	}

	public Client getClient() {
		return this.client;
	}

	public Server getServer() {
		return this.server;
	}

	public Map<String, Queue> getQueues() {
		return this.queues;
	}

	public Defaults getDefaults() {
		return this.defaults;
	}

	public Map<String, TaskType> getTasks() {
		return this.tasks;
	}

	public Archive getArchive() {
		return this.archive;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Limits getLimits() {
		return this.limits;
	}

	/** The backends Worker can run on. */
	public enum Backend {

		/** In this process's memory: not durable. */
		MEMORY,

		/** Redis, through Spring Data Redis. */
		REDIS,

		/** RabbitMQ, through Spring AMQP. */
		RABBITMQ,

		/** Kafka, through Spring for Apache Kafka. */
		KAFKA,

		/** No backend: tasks are discarded. */
		NOOP

	}

	public static class Client {

		/**
		 * Largest payload accepted at enqueue, measured as JSON.
		 */
		private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

		public DataSize getMaxPayloadSize() {
			return this.maxPayloadSize;
		}

		public void setMaxPayloadSize(DataSize maxPayloadSize) {
			this.maxPayloadSize = maxPayloadSize;
		}

	}

	public static class Server {

		/**
		 * Whether this instance processes tasks. Disable for client-only instances.
		 */
		private boolean enabled = true;

		/**
		 * Number of tasks processed at once.
		 */
		private int concurrency = 10;

		/**
		 * Whether to take queues in strict priority order (highest weight first) instead of choosing
		 * them at random in proportion to their weights.
		 */
		private boolean strictPriority = false;

		/**
		 * How long running tasks may finish at shutdown before they are interrupted and handed back to
		 * their queues.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * How often scheduled and retry tasks that are due are moved to pending.
		 */
		private Duration forwardInterval = Duration.ofMillis(200);

		/**
		 * How often tasks whose lease expired are looked for.
		 */
		private Duration recoverInterval = Duration.ofSeconds(10);

		/**
		 * How often expired completed and archived tasks are deleted.
		 */
		private Duration janitorInterval = Duration.ofSeconds(30);

		/**
		 * How often the server registers itself and extends the leases of its running tasks.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public boolean isStrictPriority() {
			return this.strictPriority;
		}

		public void setStrictPriority(boolean strictPriority) {
			this.strictPriority = strictPriority;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Duration getForwardInterval() {
			return this.forwardInterval;
		}

		public void setForwardInterval(Duration forwardInterval) {
			this.forwardInterval = forwardInterval;
		}

		public Duration getRecoverInterval() {
			return this.recoverInterval;
		}

		public void setRecoverInterval(Duration recoverInterval) {
			this.recoverInterval = recoverInterval;
		}

		public Duration getJanitorInterval() {
			return this.janitorInterval;
		}

		public void setJanitorInterval(Duration janitorInterval) {
			this.janitorInterval = janitorInterval;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

	}

	public static class Queue {

		/**
		 * Share of the workers this queue gets relative to the other queues (or its rank under strict
		 * priority).
		 */
		private int weight = 1;

		/**
		 * Most tasks of this queue running at once on one instance.
		 */
		private @Nullable Integer concurrency;

		private final RateLimit rateLimit = new RateLimit();

		public int getWeight() {
			return this.weight;
		}

		public void setWeight(int weight) {
			this.weight = weight;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public RateLimit getRateLimit() {
			return this.rateLimit;
		}

	}

	public static class RateLimit {

		/**
		 * Most tasks of the queue started per period. Unlimited when not set.
		 */
		private @Nullable Integer permits;

		/**
		 * Period the permits are counted over.
		 */
		private Duration period = Duration.ofSeconds(1);

		public @Nullable Integer getPermits() {
			return this.permits;
		}

		public void setPermits(@Nullable Integer permits) {
			this.permits = permits;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

	}

	public static class Defaults {

		/**
		 * Number of times a failed task is retried before it is archived.
		 */
		private int maxRetries = 25;

		/**
		 * How long one attempt of a task may run.
		 */
		private Duration timeout = Duration.ofMinutes(30);

		private final BackoffSettings backoff = new BackoffSettings(Backoff.DEFAULT);

		/**
		 * Exceptions that archive a task at once, without retry, with their subclasses.
		 */
		private List<Class<? extends Throwable>> nonRetryableExceptions = new ArrayList<>();

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public BackoffSettings getBackoff() {
			return this.backoff;
		}

		public List<Class<? extends Throwable>> getNonRetryableExceptions() {
			return this.nonRetryableExceptions;
		}

		public void setNonRetryableExceptions(List<Class<? extends Throwable>> nonRetryableExceptions) {
			this.nonRetryableExceptions = nonRetryableExceptions;
		}

	}

	public static class BackoffSettings {

		/**
		 * How the delay between attempts grows.
		 */
		private Backoff.@Nullable Strategy strategy;

		/**
		 * Delay after the first failure.
		 */
		private @Nullable Duration initialDelay;

		/**
		 * Growth factor of the exponential strategy.
		 */
		private @Nullable Double multiplier;

		/**
		 * Longest delay between attempts.
		 */
		private @Nullable Duration maxDelay;

		/**
		 * Fraction of the delay added or removed at random, from 0 to 1.
		 */
		private @Nullable Double jitter;

		public BackoffSettings() {
		}

		BackoffSettings(Backoff defaults) {
			this.strategy = defaults.strategy();
			this.initialDelay = defaults.initialDelay();
			this.multiplier = defaults.multiplier();
			this.maxDelay = defaults.maxDelay();
			this.jitter = defaults.jitter();
		}

		public Backoff.@Nullable Strategy getStrategy() {
			return this.strategy;
		}

		public void setStrategy(Backoff.@Nullable Strategy strategy) {
			this.strategy = strategy;
		}

		public @Nullable Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(@Nullable Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(@Nullable Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = jitter;
		}

		boolean isSet() {
			return this.strategy != null || this.initialDelay != null || this.multiplier != null
					|| this.maxDelay != null || this.jitter != null;
		}

	}

	public static class TaskType {

		/**
		 * Whether tasks of this type are accepted. When disabled, enqueues are discarded and tasks that
		 * still arrive are archived with reason "disabled".
		 */
		private boolean enabled = true;

		/**
		 * Queue tasks of this type go to when the enqueuer names none.
		 */
		private @Nullable String queue;

		/**
		 * Number of times a failed task of this type is retried.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * How long one attempt of a task of this type may run.
		 */
		private @Nullable Duration timeout;

		/**
		 * Backoff of this type; unset values come from worker.defaults.backoff.
		 */
		private final BackoffSettings backoff = new BackoffSettings();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public BackoffSettings getBackoff() {
			return this.backoff;
		}

	}

	public static class Archive {

		/**
		 * Most archived tasks kept per queue; the oldest are deleted first.
		 */
		private int maxSize = 10_000;

		/**
		 * How long archived tasks are kept.
		 */
		private Duration maxAge = Duration.ofDays(90);

		public int getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(int maxSize) {
			this.maxSize = maxSize;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

	}

	public static class Memory {

		/**
		 * Whether each task is run synchronously inside its enqueue, on the enqueuing thread. Meant for
		 * tests.
		 */
		private boolean inline = false;

		/**
		 * How many of the most recent enqueued tasks are kept for tests to inspect.
		 */
		private int recordedTasks = 1000;

		public boolean isInline() {
			return this.inline;
		}

		public void setInline(boolean inline) {
			this.inline = inline;
		}

		public int getRecordedTasks() {
			return this.recordedTasks;
		}

		public void setRecordedTasks(int recordedTasks) {
			this.recordedTasks = recordedTasks;
		}

	}

	public static class Limits {

		/**
		 * Most tasks one enqueueAll takes; a larger batch is refused whole.
		 */
		private int maxBatchSize = io.worker.runtime.Limits.DEFAULT.maxBatchSize();

		/**
		 * Most headers one task carries; a task with more is refused at enqueue.
		 */
		private int maxHeaders = io.worker.runtime.Limits.DEFAULT.maxHeaders();

		/**
		 * Largest size of one task's header names and values together, as UTF-8; a task with more is
		 * refused at enqueue.
		 */
		private DataSize maxHeaderSize = DataSize.ofBytes(io.worker.runtime.Limits.DEFAULT.maxHeaderBytes());

		/**
		 * Largest handler result kept, as JSON; a task whose result is larger is archived with the
		 * reason.
		 */
		private DataSize maxResultSize = DataSize.ofBytes(io.worker.runtime.Limits.DEFAULT.maxResultBytes());

		/**
		 * Most characters of a task's last error kept; a longer error is shortened with a marker.
		 */
		private int maxErrorLength = io.worker.runtime.Limits.DEFAULT.maxErrorLength();

		/**
		 * Most characters of a progress message kept; a longer message is shortened with a marker.
		 */
		private int maxProgressMessageLength = io.worker.runtime.Limits.DEFAULT.maxProgressMessageLength();

		/**
		 * Most tasks one page of the worker endpoint lists; a larger requested size is a bad request.
		 */
		private int maxPageSize = 1000;

		/**
		 * Tasks one page of a queue's state lists on the dashboard; at most worker.limits.max-page-size. Unset,
		 * 50 or max-page-size when that is smaller.
		 */
		private Integer dashboardPageSize;

		public int getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public int getMaxHeaders() {
			return this.maxHeaders;
		}

		public void setMaxHeaders(int maxHeaders) {
			this.maxHeaders = maxHeaders;
		}

		public DataSize getMaxHeaderSize() {
			return this.maxHeaderSize;
		}

		public void setMaxHeaderSize(DataSize maxHeaderSize) {
			this.maxHeaderSize = maxHeaderSize;
		}

		public DataSize getMaxResultSize() {
			return this.maxResultSize;
		}

		public void setMaxResultSize(DataSize maxResultSize) {
			this.maxResultSize = maxResultSize;
		}

		public int getMaxErrorLength() {
			return this.maxErrorLength;
		}

		public void setMaxErrorLength(int maxErrorLength) {
			this.maxErrorLength = maxErrorLength;
		}

		public int getMaxProgressMessageLength() {
			return this.maxProgressMessageLength;
		}

		public void setMaxProgressMessageLength(int maxProgressMessageLength) {
			this.maxProgressMessageLength = maxProgressMessageLength;
		}

		public int getMaxPageSize() {
			return this.maxPageSize;
		}

		public void setMaxPageSize(int maxPageSize) {
			this.maxPageSize = maxPageSize;
		}

		public Integer getDashboardPageSize() {
			return this.dashboardPageSize;
		}

		/**
		 * The dashboard's page size: the configured one, else the default within max-page-size, so that lowering
		 * only max-page-size is a valid configuration.
		 */
		public int dashboardPageSize() {
			return (this.dashboardPageSize != null) ? this.dashboardPageSize
					: Math.min(io.worker.dashboard.Dashboard.DEFAULT_PAGE_SIZE, this.maxPageSize);
		}

		public void setDashboardPageSize(Integer dashboardPageSize) {
			this.dashboardPageSize = dashboardPageSize;
		}

	}

}
