package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.worker.TaskEnqueueException;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enqueues to queue names the backend cannot use, against a real KRaft broker: each is refused
 * with a {@link TaskEnqueueException} naming the queue and the reason, and creates no topic. The
 * topics of the test's own prefix are deleted after.
 */
class KafkaQueueNamesTests {

	private final String prefix = "names-" + UUID.randomUUID().toString().substring(0, 8);

	private final KafkaTaskBroker broker = new KafkaTaskBroker(KafkaTestSettings.settings(this.prefix, 1, Map.of()),
			Clock.systemUTC());

	private final Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()));

	@AfterEach
	void cleanUp() {
		try {
			this.broker.deleteTopics(List.of("c.x"));
		}
		finally {
			this.broker.close();
			this.admin.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			cancel          | reserved
			workers         | reserved
			delay.1000ms    | delay tier
			delay_30000ms   | delay tier
			billing.archive | archive topic of queue 'billing'
			billing_archive | archive topic of queue 'billing'
			a b             | letters, digits, '.', '_' and '-' only
			mail{1}         | letters, digits, '.', '_' and '-' only
			""")
	void enqueueToAQueueTheBackendCannotUseIsRefusedWithTheReason(String queue, String reason) throws Exception {
		assertThat(refusal(queue)).hasMessageContaining("cannot use queue '" + queue + "'")
			.hasMessageContaining(reason);
		assertThat(this.admin.listTopics().names().get()).noneMatch((topic) -> topic.startsWith(this.prefix + "."));
	}

	@Test
	void enqueueToAQueueWhoseArchiveTopicWouldBeTooLongForKafkaIsRefused() {
		// the prefix, a dot, the queue and ".archive" make 250 characters, one more than Kafka allows
		String queue = "q".repeat(250 - this.prefix.length() - 1 - ".archive".length());
		assertThat(refusal(queue)).hasMessageContaining("would be 250 characters, more than the 249 Kafka allows")
			.hasMessageContaining("worker.kafka.prefix");
		String longest = queue.substring(1);
		assertThat(enqueue(longest)).isNull();
		this.broker.deleteTopics(List.of(longest));
	}

	@Test
	void enqueueToAQueueWhoseTopicCollidesWithAnExistingOneIsRefusedWithKafkasReason() {
		assertThat(enqueue("c.x")).isNull();
		assertThat(refusal("c_x")).hasMessageContaining("cannot use queue 'c_x'")
			.hasMessageContaining("collides");
	}

	private RuntimeException refusal(String queue) {
		RuntimeException failure = enqueue(queue);
		assertThat(failure).as("the refusal of queue '%s'", queue).isInstanceOf(TaskEnqueueException.class);
		return failure;
	}

	private RuntimeException enqueue(String queue) {
		TaskMessage message = TaskMessage.builder(UUID.randomUUID().toString(), "t", queue)
			.payload("1".getBytes(StandardCharsets.UTF_8))
			.enqueuedAt(Instant.now())
			.build();
		return this.broker.enqueue(List.of(new EnqueueRequest(message, null))).get(0).failure();
	}

}
