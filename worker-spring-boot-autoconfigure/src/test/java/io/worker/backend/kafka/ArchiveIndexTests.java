package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The archive index against a real broker: a second reading reads only what was appended since
 * the first, tombstones remove their key, and a topic deleted and made again is read from its start.
 */
class ArchiveIndexTests {

	private final String topic = "index-" + UUID.randomUUID().toString().substring(0, 8) + ".q.archive";

	private final Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()));

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of("bootstrap.servers", TestKafka.bootstrapServers()), new StringSerializer(),
			new ByteArraySerializer());

	private final ArchiveIndex index = new ArchiveIndex(this.topic,
			() -> new KafkaConsumer<>(Map.of("bootstrap.servers", TestKafka.bootstrapServers(),
					"enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer()),
			Duration.ofSeconds(30));

	private final List<TopicPartition> partitions = List.of(new TopicPartition(this.topic, 0),
			new TopicPartition(this.topic, 1));

	@AfterEach
	void close() throws Exception {
		this.producer.close();
		try (this.admin) {
			this.admin.deleteTopics(List.of(this.topic)).all().get();
		}
	}

	@Test
	void readsOnlyWhatWasAppendedSinceTheLastReading() throws Exception {
		createTopic();
		for (int i = 0; i < 300; i++) {
			send("task-" + i, "v" + i);
		}
		assertThat(this.index.live(this.partitions)).hasSize(300);
		assertThat(this.index.recordsRead()).isEqualTo(300);
		assertThat(this.index.live(this.partitions)).hasSize(300);
		assertThat(this.index.recordsRead()).isEqualTo(300);
		send("task-0", null);
		send("task-1", null);
		send("task-300", "v300");
		List<ConsumerRecord<String, byte[]>> live = this.index.live(this.partitions);
		assertThat(live).hasSize(299).extracting(ConsumerRecord::key).doesNotContain("task-0", "task-1");
		assertThat(live.get(0).key()).isEqualTo("task-300");
		assertThat(this.index.recordsRead()).isEqualTo(303);
	}

	@Test
	void aTopicMadeAgainIsReadFromItsStart() throws Exception {
		createTopic();
		for (int i = 0; i < 10; i++) {
			send("old-" + i, "v");
		}
		assertThat(this.index.live(this.partitions)).hasSize(10);
		this.admin.deleteTopics(List.of(this.topic)).all().get();
		awaitGone();
		createTopic();
		send("new-0", "v");
		assertThat(this.index.live(this.partitions)).extracting(ConsumerRecord::key).containsExactly("new-0");
	}

	private void createTopic() throws Exception {
		this.admin.createTopics(List.of(new NewTopic(this.topic, Optional.of(2), Optional.empty())
			.configs(Map.of("cleanup.policy", "compact")))).all().get();
	}

	private void awaitGone() {
		await()
			.atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> !this.admin.listTopics().names().get().contains(this.topic));
	}

	private void send(String key, @Nullable String value) throws Exception {
		this.producer.send(new ProducerRecord<>(this.topic, key,
				(value != null) ? value.getBytes(StandardCharsets.UTF_8) : null)).get();
	}

}
