package io.worker.backend.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How the Kafka backend names, creates and uses its topics, and the client properties it starts
 * from (Spring Boot's {@code spring.kafka.*}, to which it adds its own required settings).
 *
 * @param prefix the prefix of every topic name
 * @param partitions the partitions of each topic it creates, and the least an existing queue topic must have
 * @param replicationFactor the replication factor of each topic it creates, or {@code null} for the broker's default
 * @param groupId the consumer group of the worker servers
 * @param sendTimeout how long a send may take until the broker acknowledged it
 * @param delayTiers the delays of the delay-tier topics
 * @param producerProperties the producer's client properties
 * @param consumerProperties the consumers' client properties
 * @param adminProperties the admin client's properties
 */
public record KafkaBackendSettings(String prefix, int partitions, @Nullable Short replicationFactor, String groupId,
		Duration sendTimeout, List<Duration> delayTiers, Map<String, Object> producerProperties,
		Map<String, Object> consumerProperties, Map<String, Object> adminProperties) {

	/** The default delay tiers: a record waits in the largest one not longer than its remaining delay. */
	public static final List<Duration> DEFAULT_DELAY_TIERS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
			Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1),
			Duration.ofHours(6));

	public KafkaBackendSettings {
		if (partitions < 1) {
			throw new IllegalArgumentException("partitions must be at least 1");
		}
		if (delayTiers.isEmpty()) {
			throw new IllegalArgumentException("at least one delay tier is needed");
		}
		delayTiers = delayTiers.stream().sorted().distinct().toList();
		producerProperties = Map.copyOf(producerProperties);
		consumerProperties = Map.copyOf(consumerProperties);
		adminProperties = Map.copyOf(adminProperties);
	}

}
