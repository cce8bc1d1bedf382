package io.worker.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.worker.QueueInfo;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.runtime.QueueInfoCache;
import io.worker.runtime.TaskEventListener;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The {@code worker.queue.size} gauges, tagged by {@code queue} and {@code state}, read through a
 * {@link QueueInfoCache} so that a scrape costs at most one inspector call per time to live. A
 * gauge is registered for every state of each queue the inspector reports or this process uses.
 */
public final class QueueSizeGauges implements MeterBinder, TaskEventListener {

	private static final List<TaskState> STATES = List.of(TaskState.PENDING, TaskState.SCHEDULED, TaskState.ACTIVE,
			TaskState.RETRY, TaskState.ARCHIVED, TaskState.COMPLETED);

	private final QueueInfoCache queues;

	private final Set<String> registered = ConcurrentHashMap.newKeySet();

	private volatile @Nullable MeterRegistry registry;

	public QueueSizeGauges(QueueInfoCache queues) {
		this.queues = queues;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.queues.onRefresh((infos) -> infos.forEach((info) -> register(info.name())));
		this.queues.queues().stream().map(QueueInfo::name).forEach(this::register);
	}

	@Override
	public void enqueued(TaskInfo task) {
		register(task.queue());
	}

	@Override
	public void started(TaskMessage task, Duration queueWait) {
		register(task.queue());
	}

	private void register(String queue) {
		MeterRegistry registry = this.registry;
		if (registry == null || !this.registered.add(queue)) {
			return;
		}
		for (TaskState state : STATES) {
			Gauge.builder("worker.queue.size", this.queues, (cache) -> cache.size(queue, state))
				.description("Tasks in a queue by state, as the backend reports them")
				.tags(Tags.of(WorkerMetrics.QUEUE, queue, "state", state.name().toLowerCase()))
				.strongReference(true)
				.register(registry);
		}
	}

}
