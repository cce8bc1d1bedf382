package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import io.worker.WorkerInfo;
import io.worker.spi.TaskStore;

/**
 * Keeps this server registered as a live worker and extends the leases of the tasks it runs; a
 * task whose lease was lost is interrupted, since it may already run elsewhere.
 */
final class Heartbeater extends PeriodicComponent {

	private final TaskStore store;

	private final ActiveTasks activeTasks;

	private final Supplier<WorkerInfo> worker;

	private final TaskEventListener listener;

	private final Clock clock;

	private final Duration ttl;

	Heartbeater(TaskStore store, ActiveTasks activeTasks, Supplier<WorkerInfo> worker, TaskEventListener listener,
			Clock clock, Duration interval) {
		super(interval);
		this.store = store;
		this.activeTasks = activeTasks;
		this.worker = worker;
		this.listener = listener;
		this.clock = clock;
		this.ttl = interval.multipliedBy(3);
	}

	@Override
	void exec() {
		for (RunningTask task : this.activeTasks.all()) {
			if (!task.delivery().extendLease()) {
				task.stop(StopReason.LEASE_LOST);
			}
		}
		this.store.heartbeat(this.worker.get(), this.ttl);
		this.listener.heartbeat(this.clock.instant());
	}

}
