package io.worker.testsupport.broker;

import java.time.Duration;

import io.worker.spi.TaskBroker;
import io.worker.spi.TaskBrokerContractTests;

/**
 * The broker contract on the {@link InProcessBroker}: the model the real brokers' suites follow.
 */
class InProcessBrokerContractTests extends TaskBrokerContractTests {

	@Override
	protected TaskBroker createBroker() {
		return new InProcessBroker();
	}

	@Override
	protected Duration delayTolerance() {
		return Duration.ofMillis(500);
	}

	@Override
	protected void killConsumer(TaskBroker broker) {
		((InProcessBroker) broker).kill();
	}

	@Override
	protected void cleanUp(TaskBroker broker) {
		// each test has its own broker, dropped with it
	}

}
