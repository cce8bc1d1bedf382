package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;

import io.worker.spi.TaskStore;

/**
 * Moves scheduled and retry tasks whose time has come to pending.
 */
final class Forwarder extends PeriodicComponent {

	private final TaskStore store;

	private final Clock clock;

	Forwarder(TaskStore store, Clock clock, Duration interval) {
		super(interval);
		this.store = store;
		this.clock = clock;
	}

	@Override
	void exec() {
		this.store.forwardDue(this.clock.instant());
	}

}
