package io.worker.autoconfigure.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.metrics.WorkerMetricsAutoConfiguration;
import io.worker.spi.TaskEnvelope;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records that no Worker client wrote, produced straight into a queue topic with a plain
 * producer: each goes through the runtime as a malformed delivery, archived with the reason and
 * counted in {@code worker.tasks.malformed}, its offset committed, and the task behind them runs.
 */
class KafkaGarbageTests {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private final String prefix = "garbage-" + UUID.randomUUID().toString().substring(0, 8);

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
		TestKafka.deleteTopics(this.prefix);
	}

	@Test
	void garbageIsArchivedAndCountedAndTheTaskBehindItRuns() {
		this.runner.run((context) -> {
			String topic = this.prefix + ".default";
			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
					Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "max.request.size", 2_000_000),
					new StringSerializer(), new ByteArraySerializer())) {
				producer.send(new ProducerRecord<>(topic, "not a task".getBytes(StandardCharsets.UTF_8))).get();
				producer.send(new ProducerRecord<>(topic, "tombstone", null)).get();
				ProducerRecord<String, byte[]> typedOnly = new ProducerRecord<>(topic, "{}".getBytes(StandardCharsets.UTF_8));
				typedOnly.headers().add(TaskEnvelope.TYPE, "garbage:typed".getBytes(StandardCharsets.UTF_8));
				producer.send(typedOnly).get();
				producer.send(new ProducerRecord<>(topic, new byte[900_000])).get();
			}
			context.getBean(TaskClient.class).enqueue(Task.of("garbage:ok", "after the garbage"));
			Handlers handlers = context.getBean(Handlers.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(AWAIT).until(() -> handlers.ran.contains("after the garbage"));
			await().atMost(AWAIT).until(() -> meters.counter("worker.tasks.malformed", "queue", "default").count() == 4);
			TaskInspector inspector = context.getBean(TaskInspector.class);
			await().atMost(AWAIT).until(() -> inspector.queue("default").size(TaskState.ARCHIVED) == 4);
			await().atMost(AWAIT).until(() -> inspector.queue("default").size(TaskState.PENDING) == 0);
			assertThat(handlers.ran).containsExactly("after the garbage");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<String> ran = new CopyOnWriteArrayList<>();

		@TaskHandler("garbage:ok")
		void ok(String payload) {
			this.ran.add(payload);
		}

	}

}
