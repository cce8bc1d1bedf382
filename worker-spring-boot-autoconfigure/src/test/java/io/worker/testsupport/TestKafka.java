package io.worker.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The Kafka broker the tests share: a Testcontainers {@code apache/kafka} container when a Docker
 * engine is there, else an embedded KRaft broker in this JVM. Started once per JVM, with the same
 * broker settings either way; each test keeps to topics of its own prefix. Tests fail, never skip,
 * when neither starts.
 */
public final class TestKafka {

	/** Broker settings the tests rely on: topics are created by the backend, groups form at once. */
	private static final Map<String, String> BROKER_PROPERTIES = Map.of("group.initial.rebalance.delay.ms", "0",
			"auto.create.topics.enable", "false", "offsets.topic.num.partitions", "5", "log.cleaner.backoff.ms",
			"1000");

	private static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.0");

	private static final SharedService<String> KAFKA = SharedService.of("Kafka", false, TestKafka::startContainer,
			TestKafka::startEmbedded);

	private TestKafka() {
	}

	/** The shared broker's {@code bootstrap.servers}, starting it on first use. */
	public static String bootstrapServers() {
		return KAFKA.get();
	}

	/** Client properties that reach the shared broker, with quick timeouts for tests. */
	public static Map<String, Object> clientProperties() {
		return Map.of("bootstrap.servers", bootstrapServers(), "request.timeout.ms",
				(int) Duration.ofSeconds(10).toMillis());
	}

	/** Delete the topics a test made under its prefix ({@code <prefix>.}): only those. */
	public static void deleteTopics(String prefix) throws ExecutionException, InterruptedException {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
			List<String> topics = admin.listTopics()
				.names()
				.get()
				.stream()
				.filter((topic) -> topic.startsWith(prefix + "."))
				.toList();
			admin.deleteTopics(topics).all().get();
		}
	}

	/** How many records of the partition the group has not committed past (from its end offset). */
	public static long uncommitted(String group, TopicPartition partition)
			throws ExecutionException, InterruptedException {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
			OffsetAndMetadata commit = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get()
				.get(partition);
			long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
			return end - ((commit != null) ? commit.offset() : 0);
		}
	}

	/** Every record of partition 0 of a topic, from its beginning to its end offset at the call. */
	public static List<ConsumerRecord<String, byte[]>> records(String topic) {
		TopicPartition partition = new TopicPartition(topic, 0);
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
				bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.assign(List.of(partition));
			long end = consumer.endOffsets(List.of(partition)).get(partition);
			consumer.seekToBeginning(List.of(partition));
			Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
				return consumer.position(partition) >= end;
			});
		}
		return records;
	}

	/** A record's last header of the name as text, or {@code null} when it has none. */
	public static @Nullable String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static String startContainer() {
		// stopped by Testcontainers' reaper when the JVM exits
		KafkaContainer container = new KafkaContainer(IMAGE);
		// the image reads broker settings from KAFKA_* variables: dots become underscores
		BROKER_PROPERTIES.forEach((name, value) -> container
			.withEnv("KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'), value));
		container.start();
		return container.getBootstrapServers();
	}

	private static String startEmbedded() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(BROKER_PROPERTIES);
		try {
			broker.afterPropertiesSet();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("the embedded KRaft broker did not start: " + ex.getMessage(), ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-shutdown"));
		return broker.getBrokersAsString();
	}

}
