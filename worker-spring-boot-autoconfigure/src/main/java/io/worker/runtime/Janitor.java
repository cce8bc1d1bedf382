package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;

import io.worker.spi.TaskStore;

/**
 * Deletes completed tasks past their retention and archived tasks past the archive's caps.
 */
final class Janitor extends PeriodicComponent {

	private final TaskStore store;

	private final Clock clock;

	Janitor(TaskStore store, Clock clock, Duration interval) {
		super(interval);
		this.store = store;
		this.clock = clock;
	}

	@Override
	void exec() {
		this.store.deleteExpired(this.clock.instant());
	}

}
