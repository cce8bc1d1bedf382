package io.worker.backend.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.worker.spi.TaskBroker;
import io.worker.spi.TaskBrokerContractTests;

/**
 * The broker contract on the Kafka backend, against a real KRaft broker. Each test has topics of
 * its own prefix, deleted after it. "Killing" the consumer closes it at its next poll without
 * committing, as a crashed instance stops: its deliveries can no longer be settled, and the new
 * consumer the backend starts reads from the last commit, whose metadata counts the deliveries
 * that were not settled.
 */
class KafkaTaskBrokerContractTests extends TaskBrokerContractTests {

	private final String prefix = "contract-" + UUID.randomUUID().toString().substring(0, 8);

	@Override
	protected TaskBroker createBroker() {
		return new KafkaTaskBroker(KafkaTestSettings.settings(this.prefix, 3, Map.of()), Clock.systemUTC());
	}

	@Override
	protected Duration delayTolerance() {
		// the smallest tier (1 s) is the resolution, plus a forwarding hop and a fetch
		return Duration.ofMillis(2000);
	}

	@Override
	protected void killConsumer(TaskBroker broker) {
		((KafkaTaskBroker) broker).killConsumer();
	}

	@Override
	protected void cleanUp(TaskBroker broker) {
		KafkaTaskBroker kafka = (KafkaTaskBroker) broker;
		try {
			kafka.deleteTopics(usedQueues());
		}
		finally {
			kafka.close();
		}
	}

}
