package io.worker.backend.memory;

import java.time.Duration;

import io.worker.runtime.RecurringTasksContractTests;
import io.worker.spi.TaskBackend;

/**
 * The recurring task contract on the memory backend: the instances share one store instance.
 */
class InMemoryRecurringTasksTests extends RecurringTasksContractTests {

	private final InMemoryTaskStore store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 100,
			Duration.ofDays(1), new TaskRecorder(10));

	@Override
	protected TaskBackend backend() {
		return this.store;
	}

}
