package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;

import io.worker.spi.TaskStore;

/**
 * Returns active tasks whose lease expired (their worker died or was cut off) to retry.
 */
final class Recoverer extends PeriodicComponent {

	private final TaskStore store;

	private final Clock clock;

	Recoverer(TaskStore store, Clock clock, Duration interval) {
		super(interval);
		this.store = store;
		this.clock = clock;
	}

	@Override
	void exec() {
		this.store.recoverExpiredLeases(this.clock.instant());
	}

}
