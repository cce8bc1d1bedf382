package io.worker.backend.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.worker.testsupport.TestKafka;

/** Backend settings for a test: the shared broker, topics under the test's own prefix. */
final class KafkaTestSettings {

	private KafkaTestSettings() {
	}

	static KafkaBackendSettings settings(String prefix, int partitions, Map<String, Object> consumerProperties) {
		Map<String, Object> consumer = new HashMap<>(TestKafka.clientProperties());
		consumer.putAll(consumerProperties);
		return new KafkaBackendSettings(prefix, partitions, (short) 1, prefix + "-workers", Duration.ofSeconds(10),
				KafkaBackendSettings.DEFAULT_DELAY_TIERS, TestKafka.clientProperties(), consumer,
				TestKafka.clientProperties());
	}

}
