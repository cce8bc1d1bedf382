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
import io.worker.TaskEnqueueException;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A task accepted by its queue topic whose re-publish, carrying its error, is larger than the
 * topic's {@code max.message.bytes} (made small here): a retry, straight to the queue or through a
 * delay tier, is archived with the reason instead of being refused forever, its offset is committed
 * and the task behind it runs; a re-run from the archive is refused with the reason and the task
 * stays archived. Each test makes the topics of its own prefix, the queue topic before the starter
 * starts, and deletes them after.
 */
class KafkaRepublishTooLargeTests {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	/** The queue topic's limit: the payload fits, the payload with the handler's error does not. */
	private static final int QUEUE_MAX_MESSAGE_BYTES = 6_000;

	private static final String PAYLOAD = "x".repeat(2_000);

	private final String prefix = "republish-" + UUID.randomUUID().toString().substring(0, 8);

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
				"worker.kafka.partitions=1", "worker.defaults.backoff.strategy=fixed");

	@AfterEach
	void deleteTopics() throws Exception {
		this.admin.close();
		TestKafka.deleteTopics(this.prefix);
	}

	@Test
	void retryTooLargeForTheQueueTopicIsArchivedWithTheReason() throws Exception {
		createQueueTopic();
		this.runner.withPropertyValues("worker.defaults.backoff.initial-delay=0s").run((context) -> {
			assertRetryArchived(context.getBean(TaskClient.class), context.getBean(Handlers.class),
					context.getBean(TaskInspector.class));
		});
	}

	@Test
	void retryThroughADelayTierTooLargeForTheQueueTopicIsArchivedWithTheReason() throws Exception {
		createQueueTopic();
		// the retry goes to the 1 s tier, which takes it, and is refused when forwarded to the queue
		this.runner.withPropertyValues("worker.defaults.backoff.initial-delay=1s").run((context) -> {
			assertRetryArchived(context.getBean(TaskClient.class), context.getBean(Handlers.class),
					context.getBean(TaskInspector.class));
		});
	}

	@Test
	void rerunTooLargeForTheQueueTopicIsRefusedAndTheTaskStaysArchived() throws Exception {
		createQueueTopic();
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			TaskInspector inspector = context.getBean(TaskInspector.class);
			String id = client.enqueue(Task.of("long:fail", PAYLOAD).maxRetries(0)).id();
			await().atMost(AWAIT).until(() -> inspector.queue("default").size(TaskState.ARCHIVED) == 1);
			assertThatExceptionOfType(TaskEnqueueException.class).isThrownBy(() -> inspector.runTask("default", id))
				.withMessageContaining(id)
				.withMessageContaining("too large");
			TaskDetail task = inspector.tasks("default", TaskState.ARCHIVED, 0, 10).get(0);
			assertThat(task.id()).isEqualTo(id);
			assertThat(task.lastError()).contains("fails with a long error");
			assertThat(TestKafka.header(lastArchived(id), "worker-x-archive-reason")).contains("re-run").contains("too large");
		});
	}

	private void assertRetryArchived(TaskClient client, Handlers handlers, TaskInspector inspector) {
		String id = client.enqueue(Task.of("long:fail", PAYLOAD).maxRetries(3)).id();
		client.enqueue(Task.of("long:ok", "after the long error"));
		await().atMost(AWAIT).until(() -> handlers.ran.contains("after the long error"));
		await().atMost(AWAIT).until(() -> inspector.queue("default").size(TaskState.ARCHIVED) == 1);
		await().atMost(AWAIT).until(() -> TestKafka.uncommitted(this.prefix, this.queuePartition) == 0);
		// archived after its first failure, instead of a retry Kafka refuses every time
		assertThat(handlers.failed).hasSize(1);
		TaskDetail task = inspector.tasks("default", TaskState.ARCHIVED, 0, 10).get(0);
		assertThat(task.id()).isEqualTo(id);
		assertThat(task.lastError()).contains("fails with a long error");
		assertThat(TestKafka.header(lastArchived(id), "worker-x-archive-reason")).contains("retry").contains("too large");
	}

	private void createQueueTopic() throws Exception {
		NewTopic topic = new NewTopic(this.queueTopic, Optional.of(1), Optional.empty()).configs(
				Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(QUEUE_MAX_MESSAGE_BYTES)));
		this.admin.createTopics(List.of(topic)).all().get();
	}

	/** The last archive record of a task. */
	private ConsumerRecord<String, byte[]> lastArchived(String id) {
		return TestKafka.records(this.archiveTopic)
			.stream()
			.filter((record) -> id.equals(record.key()))
			.reduce((first, second) -> second)
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<String> ran = new CopyOnWriteArrayList<>();

		final List<String> failed = new CopyOnWriteArrayList<>();

		@TaskHandler("long:ok")
		void ok(String payload) {
			this.ran.add(payload);
		}

		@TaskHandler("long:fail")
		void fail(String payload) {
			this.failed.add(payload);
			// longer than the queue topic's limit: the retry carries it as a header
			throw new IllegalStateException("fails with a long error " + "e".repeat(7_000));
		}

	}

}
