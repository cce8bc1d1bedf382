package io.worker.testsupport.kafka;

import java.time.Duration;
import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real KRaft broker in the test JVM, started on first use and shared by every Kafka test
 * class (each test keeps to topics of its own prefix), stopped when the JVM exits.
 */
public final class SharedKafkaBroker {

	private static EmbeddedKafkaKraftBroker broker;

	private SharedKafkaBroker() {
	}

	/** The broker's {@code bootstrap.servers}, starting it if it is not running yet. */
	public static synchronized String bootstrapServers() {
		if (broker == null) {
			EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
			started.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0", "auto.create.topics.enable",
					"false", "offsets.topic.num.partitions", "5", "log.cleaner.backoff.ms", "1000"));
			started.afterPropertiesSet();
			Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "embedded-kafka-shutdown"));
			broker = started;
		}
		return broker.getBrokersAsString();
	}

	/** Client properties that reach the shared broker, with quick timeouts for tests. */
	public static Map<String, Object> clientProperties() {
		return Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms",
				(int) Duration.ofSeconds(10).toMillis());
	}

}
