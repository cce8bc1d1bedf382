package io.worker.autoconfigure.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.metrics.WorkerMetricsAutoConfiguration;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records that Kafka refuses as too large for the archive topic (its {@code max.message.bytes} is
 * made small here) are archived truncated, or dropped and counted when even that is refused; their
 * offsets are committed either way and the task behind them runs. Each test makes the topics of
 * its own prefix, the archive topic before the starter starts, and deletes them after.
 */
class KafkaArchiveTooLargeTests {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private final String prefix = "too-large-" + UUID.randomUUID().toString().substring(0, 8);

	private final String queueTopic = this.prefix + ".default";

	private final TopicPartition queuePartition = new TopicPartition(this.queueTopic, 0);

	private final String archiveTopic = this.queueTopic + ".archive";

	private final Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KafkaAutoConfiguration.class,
				WorkerKafkaBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, MetricsAutoConfiguration.class,
				WorkerMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
				"worker.backend=kafka", "worker.kafka.prefix=" + this.prefix, "worker.kafka.group-id=" + this.prefix,
				"worker.kafka.partitions=1");

	@AfterEach
	void deleteTopics() throws Exception {
		this.admin.close();
		TestKafka.deleteTopics(this.prefix);
	}

	@Test
	void garbageAndATaskTooLargeForTheArchiveAreArchivedTruncated() throws Exception {
		createArchiveTopic(20_000);
		this.runner.run((context) -> {
			TaskInspector inspector = context.getBean(TaskInspector.class);
			produceGarbage(new byte[100_000]);
			// one oversized archive write at a time: two in one producer batch are split and retried by the
			// producer until the send timeout, a slower path than the one this test is about
			await().atMost(AWAIT).until(() -> inspector.queue("default").size(TaskState.ARCHIVED) == 1);
			TaskClient client = context.getBean(TaskClient.class);
			client.enqueue(Task.of("big:fail", "x".repeat(50_000)).maxRetries(0));
			client.enqueue(Task.of("big:ok", "after the large ones"));
			Handlers handlers = context.getBean(Handlers.class);
			await().atMost(AWAIT).until(() -> handlers.ran.contains("after the large ones"));
			await().atMost(AWAIT).until(() -> inspector.queue("default").size(TaskState.ARCHIVED) == 2);
			await().atMost(AWAIT).until(() -> TestKafka.uncommitted(this.prefix, this.queuePartition) == 0);
			List<ConsumerRecord<String, byte[]>> archived = TestKafka.records(this.archiveTopic);
			assertThat(archived).allSatisfy((record) -> assertThat(record.value().length).isLessThan(20_000));
			// the original sizes: the garbage's, and the task's payload (a JSON string, so a little longer)
			assertThat(archived)
				.extracting((record) -> Integer.parseInt(TestKafka.header(record, "worker-x-truncated-from")))
				.contains(100_000)
				.allSatisfy((size) -> assertThat(size).isGreaterThanOrEqualTo(50_000));
			TaskDetail task = inspector.tasks("default", TaskState.ARCHIVED, 0, 10).get(0);
			assertThat(task.type()).isEqualTo("big:fail");
			assertThat(task.lastError()).contains("always fails");
			assertThat(context.getBean(MeterRegistry.class).find("worker.tasks.dropped").counter()).isNull();
		});
	}

	@Test
	void taskAndGarbageRefusedEvenTruncatedAreDroppedAndCounted() throws Exception {
		// smaller than Worker's own headers: no truncated copy fits
		createArchiveTopic(200);
		this.runner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			produceGarbage(new byte[100_000]);
			// one oversized archive write at a time, as in the test above
			await().atMost(AWAIT).until(() -> dropped(meters) == 1);
			TaskClient client = context.getBean(TaskClient.class);
			client.enqueue(Task.of("big:fail", "x".repeat(50_000)).maxRetries(0));
			client.enqueue(Task.of("big:ok", "after the dropped ones"));
			Handlers handlers = context.getBean(Handlers.class);
			await().atMost(AWAIT).until(() -> handlers.ran.contains("after the dropped ones"));
			await().atMost(AWAIT).until(() -> dropped(meters) == 2);
			await().atMost(AWAIT).until(() -> TestKafka.uncommitted(this.prefix, this.queuePartition) == 0);
			assertThat(context.getBean(TaskInspector.class).queue("default").size(TaskState.ARCHIVED)).isZero();
		});
	}

	private static double dropped(MeterRegistry meters) {
		return meters.counter("worker.tasks.dropped", "queue", "default", "reason", "too-large").count();
	}

	private void createArchiveTopic(int maxMessageBytes) throws Exception {
		NewTopic topic = new NewTopic(this.archiveTopic, Optional.of(1), Optional.empty())
			.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
					TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes)));
		this.admin.createTopics(List.of(topic)).all().get();
	}

	private void produceGarbage(byte[] value) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of("bootstrap.servers", TestKafka.bootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(this.queueTopic, value)).get();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<String> ran = new CopyOnWriteArrayList<>();

		@TaskHandler("big:ok")
		void ok(String payload) {
			this.ran.add(payload);
		}

		@TaskHandler("big:fail")
		void fail(String payload) {
			throw new IllegalStateException("always fails");
		}

	}

}
