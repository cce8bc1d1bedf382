package io.worker.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskOutcome;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Records what happens to tasks in this process as meters, tagged by {@code task_type} and
 * {@code queue} (and {@code status}) only, never by task id or payload, so that their number stays
 * bounded:
 * <ul>
 * <li>{@code worker.tasks.enqueued}: tasks stored by this process's client;</li>
 * <li>{@code worker.tasks.processed}: attempts by status: {@code success}, {@code retried} (failed,
 * will run again), {@code archived} (failed for good, cancelled or past its deadline),
 * {@code failed} (every attempt counted as retried or archived, so that success rate is
 * {@code success / (success + failed)}), and {@code discarded} (not stored because its type is
 * disabled, counted by the client);</li>
 * <li>{@code worker.task.duration} and {@code worker.task.queue.wait}: timers with a percentile
 * histogram, for the attempt's run time and the time from enqueue (or due time) to its start;</li>
 * <li>{@code worker.tasks.active}: attempts running now, per queue;</li>
 * <li>{@code worker.tasks.malformed}: deliveries that could not be read and were archived without
 * running, per queue only (their type is whatever the garbage said);</li>
 * <li>{@code worker.tasks.dropped}: tasks the backend could keep nowhere, not even in its archive, by
 * {@code queue} and {@code reason}.</li>
 * </ul>
 * Attempts handed back at shutdown or whose lease was lost are not counted as processed.
 */
public final class WorkerMetrics implements TaskEventListener, MeterBinder {

	static final String TASK_TYPE = "task_type";

	static final String QUEUE = "queue";

	static final String STATUS = "status";

	/** Background tasks run far longer than requests: keep their histograms' buckets up to an hour. */
	private static final Duration MAXIMUM_EXPECTED = Duration.ofHours(1);

	private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();

	private volatile @Nullable Meters meters;

	@Override
	public void bindTo(MeterRegistry registry) {
		this.meters = new Meters(registry);
	}

	@Override
	public void enqueued(TaskInfo task) {
		Meters meters = this.meters;
		if (meters == null) {
			return;
		}
		if (task.state() == TaskState.DISCARDED) {
			meters.processed.withTags(tags(task.type(), task.queue()).and(STATUS, "discarded")).increment();
		}
		else {
			meters.enqueued.withTags(tags(task.type(), task.queue())).increment();
		}
	}

	@Override
	public void started(TaskMessage task, Duration queueWait) {
		Meters meters = this.meters;
		if (meters == null) {
			return;
		}
		meters.queueWait.withTags(tags(task.type(), task.queue())).record(queueWait);
		active(meters, task.queue()).incrementAndGet();
	}

	@Override
	public void finished(TaskMessage task, TaskOutcome outcome, Duration duration) {
		Meters meters = this.meters;
		if (meters == null) {
			return;
		}
		Tags tags = tags(task.type(), task.queue());
		active(meters, task.queue()).decrementAndGet();
		meters.duration.withTags(tags).record(duration);
		String status = status(outcome);
		if (status != null) {
			meters.processed.withTags(tags.and(STATUS, status)).increment();
		}
		if (outcome == TaskOutcome.RETRIED || outcome == TaskOutcome.ARCHIVED) {
			meters.processed.withTags(tags.and(STATUS, "failed")).increment();
		}
	}

	@Override
	public void malformed(TaskMessage task, String reason) {
		Meters meters = this.meters;
		if (meters != null) {
			meters.malformed.withTags(Tags.of(QUEUE, task.queue())).increment();
		}
	}

	@Override
	public void dropped(String queue, String reason) {
		Meters meters = this.meters;
		if (meters != null) {
			meters.dropped.withTags(Tags.of(QUEUE, queue, "reason", reason)).increment();
		}
	}

	private AtomicInteger active(Meters meters, String queue) {
		return this.active.computeIfAbsent(queue,
				(name) -> meters.registry.gauge("worker.tasks.active", Tags.of(QUEUE, name), new AtomicInteger()));
	}

	private static @Nullable String status(TaskOutcome outcome) {
		return switch (outcome) {
			case SUCCESS -> "success";
			case RETRIED -> "retried";
			case ARCHIVED -> "archived";
			case REQUEUED, ABANDONED -> null;
		};
	}

	private static Tags tags(String type, String queue) {
		return Tags.of(TASK_TYPE, type, QUEUE, queue);
	}

	/** The meters of one registry, looked up by their tags on each event. */
	private static final class Meters {

		private final MeterRegistry registry;

		private final MeterProvider<Counter> enqueued;

		private final MeterProvider<Counter> processed;

		private final MeterProvider<Counter> malformed;

		private final MeterProvider<Counter> dropped;

		private final MeterProvider<Timer> duration;

		private final MeterProvider<Timer> queueWait;

		Meters(MeterRegistry registry) {
			this.registry = registry;
			this.enqueued = Counter.builder("worker.tasks.enqueued")
				.description("Tasks enqueued by this process")
				.withRegistry(registry);
			this.processed = Counter.builder("worker.tasks.processed")
				.description("Task attempts by status; failed counts the attempts also counted as retried or archived")
				.withRegistry(registry);
			this.malformed = Counter.builder("worker.tasks.malformed")
				.description("Deliveries that could not be read, archived without running")
				.withRegistry(registry);
			this.dropped = Counter.builder("worker.tasks.dropped")
				.description("Tasks the backend could keep nowhere, not even in its archive")
				.withRegistry(registry);
			this.duration = Timer.builder("worker.task.duration")
				.description("How long task attempts ran")
				.publishPercentileHistogram()
				.maximumExpectedValue(MAXIMUM_EXPECTED)
				.withRegistry(registry);
			this.queueWait = Timer.builder("worker.task.queue.wait")
				.description("Time from a task's enqueue (or due) time to the start of its attempt")
				.publishPercentileHistogram()
				.maximumExpectedValue(MAXIMUM_EXPECTED)
				.withRegistry(registry);
		}

	}

}
