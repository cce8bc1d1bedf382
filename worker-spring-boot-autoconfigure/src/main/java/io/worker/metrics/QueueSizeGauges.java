package io.worker.metrics;

import java.time.Duration;
import java.util.EnumSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@link QueueInfoCache} so that a scrape costs at most one inspector call per time to live.
 * <p>
 * A gauge is registered for each state the backend knows (see {@link QueueInfo#knows}) of each
 * queue the inspector reports or this process uses, so that a state a broker cannot count has no
 * gauge rather than one stuck at 0. A queue this process uses before the inspector has reported any
 * queue gets a gauge for every state, and those of states its first report does not know are
 * removed then.
 */
public final class QueueSizeGauges implements MeterBinder, TaskEventListener {

	/** Every state a queue can be counted in. */
	private static final Set<TaskState> STATES = Set.copyOf(EnumSet.complementOf(EnumSet.of(TaskState.DISCARDED)));

	private final QueueInfoCache queues;

	/** The queues this process has used, so that each gets gauges even before the inspector reports it. */
	private final Set<String> used = ConcurrentHashMap.newKeySet();

	/** The gauges registered, by queue and state. */
	private final Map<String, Map<TaskState, Gauge>> gauges = new ConcurrentHashMap<>();

	/** The states known by the queues last reported, for queues not yet reported; all before any. */
	private volatile Set<TaskState> knownStates = STATES;

	private volatile @Nullable MeterRegistry registry;

	public QueueSizeGauges(QueueInfoCache queues) {
		this.queues = queues;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		this.queues.onRefresh(this::refreshed);
		this.queues.queues();
	}

	@Override
	public void enqueued(TaskInfo task) {
		used(task.queue());
	}

	@Override
	public void started(TaskMessage task, Duration queueWait) {
		used(task.queue());
	}

	private void used(String queue) {
		if (this.used.add(queue)) {
			register(queue, this.knownStates);
		}
	}

	private synchronized void refreshed(List<QueueInfo> infos) {
		Set<TaskState> known = EnumSet.noneOf(TaskState.class);
		for (QueueInfo info : infos) {
			known.addAll(info.sizes().keySet());
			register(info.name(), info.sizes().keySet());
			removeUnknown(info);
		}
		if (!known.isEmpty()) {
			this.knownStates = Set.copyOf(known);
		}
		this.used.forEach((queue) -> register(queue, this.knownStates));
	}

	private synchronized void register(String queue, Set<TaskState> states) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		Map<TaskState, Gauge> queueGauges = this.gauges.computeIfAbsent(queue, (name) -> new EnumMap<>(TaskState.class));
		for (TaskState state : states) {
			queueGauges.computeIfAbsent(state,
					(key) -> Gauge.builder("worker.queue.size", this.queues, (cache) -> cache.size(queue, state))
						.description("Tasks in a queue by state, as the backend reports them")
						.tags(Tags.of(WorkerMetrics.QUEUE, queue, "state", state.name().toLowerCase(Locale.ROOT)))
						.strongReference(true)
						.register(registry));
		}
	}

	/** Remove the gauges of states registered before the queue's report said they are not known. */
	private void removeUnknown(QueueInfo info) {
		MeterRegistry registry = this.registry;
		Map<TaskState, Gauge> queueGauges = this.gauges.get(info.name());
		if (registry == null || queueGauges == null) {
			return;
		}
		queueGauges.entrySet().removeIf((entry) -> {
			if (info.knows(entry.getKey())) {
				return false;
			}
			registry.remove(entry.getValue());
			return true;
		});
	}

}
