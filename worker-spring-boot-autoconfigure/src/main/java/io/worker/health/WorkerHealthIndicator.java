package io.worker.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.worker.QueueInfo;
import io.worker.runtime.ActiveTasks;
import io.worker.runtime.WorkerServer;
import io.worker.runtime.WorkerStats;
import io.worker.spi.Capability;
import io.worker.spi.TaskBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Reports Worker's health: DOWN when its backend cannot be reached; details give the backend, the
 * server's state, its last heartbeat, active tasks, processed and failed counts, and queue sizes:
 * only those of the states the backend knows (see {@link QueueInfo#knows}), and today's counters
 * only when it keeps them ({@link Capability#DAILY_COUNTERS}), so that nothing unknown is shown as 0.
 */
public final class WorkerHealthIndicator extends AbstractHealthIndicator {

	private final TaskBackend backend;

	private final @Nullable WorkerServer server;

	private final WorkerStats stats;

	private final @Nullable ActiveTasks activeTasks;

	private final Supplier<List<QueueInfo>> queues;

	/**
	 * @param queues the queues with their sizes, such as a {@link io.worker.runtime.QueueInfoCache}'s
	 */
	public WorkerHealthIndicator(TaskBackend backend, @Nullable WorkerServer server, WorkerStats stats,
			@Nullable ActiveTasks activeTasks, Supplier<List<QueueInfo>> queues) {
		super("Worker health check failed");
		this.backend = backend;
		this.server = server;
		this.stats = stats;
		this.activeTasks = activeTasks;
		this.queues = queues;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("backend", this.backend.name());
		builder.withDetail("server", (this.server == null) ? "disabled" : this.server.isRunning() ? "running" : "stopped");
		builder.withDetail("activeTasks", (this.activeTasks != null) ? this.activeTasks.size() : 0);
		builder.withDetail("processed", this.stats.processed());
		builder.withDetail("failed", this.stats.failed());
		if (this.stats.lastHeartbeat() != null) {
			builder.withDetail("lastHeartbeat", this.stats.lastHeartbeat().toString());
		}
		this.backend.ping();
		boolean dailyCounters = this.backend.capabilities().contains(Capability.DAILY_COUNTERS);
		Map<String, Map<String, Long>> queues = new LinkedHashMap<>();
		for (QueueInfo queue : this.queues.get()) {
			Map<String, Long> sizes = new LinkedHashMap<>();
			queue.sizes().forEach((state, size) -> sizes.put(state.name().toLowerCase(Locale.ROOT), size));
			if (dailyCounters) {
				sizes.put("processedToday", queue.processedToday());
				sizes.put("failedToday", queue.failedToday());
			}
			queues.put(queue.name(), sizes);
		}
		builder.withDetail("queues", queues).up();
	}

}
