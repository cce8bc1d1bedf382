package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import io.worker.WorkerInfo;
import io.worker.spi.WorkerRegistry;

/**
 * Keeps this server registered as a live worker in its backend's {@link WorkerRegistry}.
 */
final class Heartbeater extends PeriodicComponent {

	private final WorkerRegistry registry;

	private final Supplier<WorkerInfo> worker;

	private final TaskEventListener listener;

	private final Clock clock;

	private final Duration ttl;

	Heartbeater(WorkerRegistry registry, Supplier<WorkerInfo> worker, TaskEventListener listener, Clock clock,
			Duration interval) {
		super(interval);
		this.registry = registry;
		this.worker = worker;
		this.listener = listener;
		this.clock = clock;
		this.ttl = interval.multipliedBy(3);
	}

	@Override
	void exec() {
		this.registry.heartbeat(this.worker.get(), this.ttl);
		this.listener.heartbeat(this.clock.instant());
	}

}
