package io.worker.backend.memory;

import io.worker.spi.TaskStore;
import io.worker.spi.TaskStoreContractTests;
import io.worker.testsupport.MutableClock;

/**
 * The {@link TaskStore} contract on the {@link InMemoryTaskStore}.
 */
class InMemoryTaskStoreContractTests extends TaskStoreContractTests {

	@Override
	protected TaskStore createStore(MutableClock clock) {
		return new InMemoryTaskStore(clock, leaseDuration(), archiveMaxSize(), archiveMaxAge(), new TaskRecorder(0));
	}

	@Override
	protected void cleanUp() {
		// each test has its own store, dropped with it
	}

}
