package io.worker.autoconfigure;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.worker.autoconfigure.WorkerProperties.BackoffSettings;
import io.worker.autoconfigure.WorkerProperties.TaskType;
import io.worker.runtime.Backoff;
import io.worker.runtime.Limits;
import io.worker.runtime.ServerSettings;
import io.worker.runtime.TaskDefaults;
import io.worker.runtime.TaskTypeOptions;
import io.worker.spi.RateLimit;
import io.worker.spi.TaskEnvelope;

import static io.worker.autoconfigure.PropertyChecks.atLeast;
import static io.worker.autoconfigure.PropertyChecks.invalid;
import static io.worker.autoconfigure.PropertyChecks.notNegative;
import static io.worker.autoconfigure.PropertyChecks.positive;
import static io.worker.autoconfigure.PropertyChecks.queueName;

/**
 * Checks {@link WorkerProperties} and turns them into the runtime's settings. Every invalid value
 * fails startup with the name of its property.
 */
final class WorkerSettings {

	/** The queues used when none is configured. */
	static final Map<String, Integer> DEFAULT_QUEUES = defaultQueues();

	/** Room in the envelope's header count for Worker's own fields. */
	private static final int RESERVED_HEADERS = 28;

	private WorkerSettings() {
	}

	static void validate(WorkerProperties properties) {
		WorkerProperties.Server server = properties.getServer();
		atLeast("worker.server.concurrency", server.getConcurrency(), 1);
		notNegative("worker.server.shutdown-timeout", server.getShutdownTimeout());
		positive("worker.server.forward-interval", server.getForwardInterval());
		positive("worker.server.recover-interval", server.getRecoverInterval());
		positive("worker.server.janitor-interval", server.getJanitorInterval());
		positive("worker.server.heartbeat-interval", server.getHeartbeatInterval());
		if (properties.getClient().getMaxPayloadSize().toBytes() < 1) {
			throw invalid("worker.client.max-payload-size", properties.getClient().getMaxPayloadSize(),
					"must be positive");
		}
		properties.getQueues().forEach((name, queue) -> {
			String prefix = "worker.queues." + name;
			queueName(prefix, name);
			atLeast(prefix + ".weight", queue.getWeight(), 1);
			if (queue.getConcurrency() != null) {
				atLeast(prefix + ".concurrency", queue.getConcurrency(), 1);
			}
			if (queue.getRateLimit().getPermits() != null) {
				atLeast(prefix + ".rate-limit.permits", queue.getRateLimit().getPermits(), 1);
			}
			positive(prefix + ".rate-limit.period", queue.getRateLimit().getPeriod());
		});
		atLeast("worker.defaults.max-retries", properties.getDefaults().getMaxRetries(), 0);
		positive("worker.defaults.timeout", properties.getDefaults().getTimeout());
		validate("worker.defaults.backoff", properties.getDefaults().getBackoff());
		properties.getTasks().forEach((type, task) -> {
			String prefix = "worker.tasks[" + type + "]";
			if (task.getMaxRetries() != null) {
				atLeast(prefix + ".max-retries", task.getMaxRetries(), 0);
			}
			if (task.getTimeout() != null) {
				positive(prefix + ".timeout", task.getTimeout());
			}
			if (task.getQueue() != null && task.getQueue().isBlank()) {
				throw invalid(prefix + ".queue", task.getQueue(), "must not be blank");
			}
			if (task.getQueue() != null) {
				queueName(prefix + ".queue", task.getQueue());
			}
			validate(prefix + ".backoff", task.getBackoff());
		});
		atLeast("worker.archive.max-size", properties.getArchive().getMaxSize(), 0);
		positive("worker.archive.max-age", properties.getArchive().getMaxAge());
		atLeast("worker.memory.recorded-tasks", properties.getMemory().getRecordedTasks(), 0);
		validate(properties.getLimits());
	}

	private static void validate(WorkerProperties.Limits limits) {
		atLeast("worker.limits.max-batch-size", limits.getMaxBatchSize(), 1);
		// the envelope carries Worker's own fields besides the user's headers, within its bounds
		between("worker.limits.max-headers", limits.getMaxHeaders(), 0, TaskEnvelope.MAX_HEADERS - RESERVED_HEADERS);
		between("worker.limits.max-header-size", limits.getMaxHeaderSize().toBytes(), 0,
				TaskEnvelope.MAX_TOTAL_LENGTH / 2);
		atLeast("worker.limits.max-result-size", limits.getMaxResultSize().toBytes(), 1);
		between("worker.limits.max-error-length", limits.getMaxErrorLength(), 100, TaskEnvelope.MAX_VALUE_LENGTH);
		atLeast("worker.limits.max-progress-message-length", limits.getMaxProgressMessageLength(), 1);
		atLeast("worker.limits.max-page-size", limits.getMaxPageSize(), 1);
		// a dashboard page is one inspector read, bounded like the endpoint's
		between("worker.limits.dashboard-page-size", limits.dashboardPageSize(), 1, limits.getMaxPageSize());
	}

	private static void between(String name, long value, long minimum, long maximum) {
		if (value < minimum || value > maximum) {
			throw invalid(name, value, "must be from " + minimum + " to " + maximum);
		}
	}

	static Limits limits(WorkerProperties properties) {
		WorkerProperties.Limits limits = properties.getLimits();
		return new Limits(limits.getMaxBatchSize(), limits.getMaxHeaders(), limits.getMaxHeaderSize().toBytes(),
				limits.getMaxResultSize().toBytes(), limits.getMaxErrorLength(), limits.getMaxProgressMessageLength());
	}

	private static void validate(String prefix, BackoffSettings backoff) {
		if (backoff.getInitialDelay() != null) {
			notNegative(prefix + ".initial-delay", backoff.getInitialDelay());
		}
		if (backoff.getMaxDelay() != null) {
			notNegative(prefix + ".max-delay", backoff.getMaxDelay());
		}
		if (backoff.getMultiplier() != null && backoff.getMultiplier() < 1.0) {
			throw invalid(prefix + ".multiplier", backoff.getMultiplier(), "must be at least 1");
		}
		if (backoff.getJitter() != null && (backoff.getJitter() < 0.0 || backoff.getJitter() > 1.0)) {
			throw invalid(prefix + ".jitter", backoff.getJitter(), "must be between 0 and 1");
		}
	}

	static TaskDefaults taskDefaults(WorkerProperties properties) {
		WorkerProperties.Defaults defaults = properties.getDefaults();
		return new TaskDefaults("default", defaults.getMaxRetries(), defaults.getTimeout(),
				backoff(defaults.getBackoff(), Backoff.DEFAULT), List.copyOf(defaults.getNonRetryableExceptions()));
	}

	static Map<String, TaskTypeOptions> taskOptions(WorkerProperties properties) {
		Backoff defaultBackoff = backoff(properties.getDefaults().getBackoff(), Backoff.DEFAULT);
		Map<String, TaskTypeOptions> options = new LinkedHashMap<>();
		properties.getTasks().forEach((type, task) -> options.put(type, options(task, defaultBackoff)));
		return options;
	}

	private static TaskTypeOptions options(TaskType task, Backoff defaultBackoff) {
		Backoff backoff = task.getBackoff().isSet() ? backoff(task.getBackoff(), defaultBackoff) : null;
		return new TaskTypeOptions(task.isEnabled(), task.getQueue(), task.getMaxRetries(), task.getTimeout(), backoff);
	}

	private static Backoff backoff(BackoffSettings settings, Backoff fallback) {
		return new Backoff(Objects.requireNonNullElse(settings.getStrategy(), fallback.strategy()),
				Objects.requireNonNullElse(settings.getInitialDelay(), fallback.initialDelay()),
				Objects.requireNonNullElse(settings.getMultiplier(), fallback.multiplier()),
				Objects.requireNonNullElse(settings.getMaxDelay(), fallback.maxDelay()),
				Objects.requireNonNullElse(settings.getJitter(), fallback.jitter()));
	}

	static ServerSettings serverSettings(WorkerProperties properties) {
		WorkerProperties.Server server = properties.getServer();
		Map<String, Integer> weights = new LinkedHashMap<>();
		Map<String, Integer> caps = new LinkedHashMap<>();
		Map<String, RateLimit> rateLimits = new LinkedHashMap<>();
		properties.getQueues().forEach((name, queue) -> {
			weights.put(name, queue.getWeight());
			if (queue.getConcurrency() != null) {
				caps.put(name, queue.getConcurrency());
			}
			WorkerProperties.RateLimit rateLimit = queue.getRateLimit();
			if (rateLimit.getPermits() != null) {
				rateLimits.put(name, new RateLimit(rateLimit.getPermits(), rateLimit.getPeriod()));
			}
		});
		return new ServerSettings(server.getConcurrency(), weights.isEmpty() ? DEFAULT_QUEUES : weights,
				server.isStrictPriority(), caps, rateLimits, server.getShutdownTimeout(), server.getForwardInterval(),
				server.getRecoverInterval(), server.getJanitorInterval(), server.getHeartbeatInterval());
	}

	private static Map<String, Integer> defaultQueues() {
		Map<String, Integer> queues = new LinkedHashMap<>();
		queues.put("critical", 6);
		queues.put("default", 3);
		queues.put("low", 1);
		return Collections.unmodifiableMap(queues);
	}

}
