package io.worker.runtime;

import java.time.Duration;

/**
 * Extends the lease of every task running here, on every backend: on a store the lease keeps the
 * recoverer away, on a broker it asks whether the delivery can still be settled (its channel open,
 * its partition assigned). A task whose lease was lost is interrupted, since it may run elsewhere.
 */
final class LeaseExtender extends PeriodicComponent {

	private final ActiveTasks activeTasks;

	LeaseExtender(ActiveTasks activeTasks, Duration interval) {
		super(interval);
		this.activeTasks = activeTasks;
	}

	@Override
	void exec() {
		for (RunningTask task : this.activeTasks.all()) {
			if (!task.delivery().extendLease()) {
				task.stop(StopReason.LEASE_LOST);
			}
		}
	}

}
