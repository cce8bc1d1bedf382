package io.worker.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import io.worker.runtime.ScheduleEventListener;

/**
 * Meters of recurring tasks, counted by the one instance that decided each tick:
 * {@code worker.schedule.fired} (tags {@code schedule}, {@code late}: whether it fired under the
 * misfire policy) and {@code worker.schedule.skipped} (tags {@code schedule}, {@code reason}:
 * {@code misfire} or {@code overlap}).
 */
public final class ScheduleMetrics implements ScheduleEventListener {

	private final MeterRegistry registry;

	public ScheduleMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void fired(String schedule, Instant tick, Duration lateness, boolean misfired) {
		this.registry.counter("worker.schedule.fired", "schedule", schedule, "late", String.valueOf(misfired))
			.increment();
	}

	@Override
	public void skipped(String schedule, SkipReason reason, long ticks) {
		this.registry
			.counter("worker.schedule.skipped", "schedule", schedule, "reason", reason.name().toLowerCase(Locale.ROOT))
			.increment(ticks);
	}

}
