package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.worker.Task;
import io.worker.TaskState;
import io.worker.backend.rabbitmq.RabbitSettings.QueueType;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import io.worker.testsupport.TestRabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The other layout, classic queues (no delivery count from the broker), and the archive stream.
 */
class RabbitOptionsTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitWorkerTests.Handlers handlers = new RabbitWorkerTests.Handlers();

	@Test
	void classicQueuesRetryThroughTheDelayLevelsAndArchive() {
		RabbitSettings settings = settings("c").withQueueType(QueueType.CLASSIC);
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), settings, "classic", 1,
				this.handlers).start()) {
			worker.client.enqueue(Task.of("test:fail", "f"));

			await().atMost(WAIT).until(() -> worker.broker.inspector().queue("classic").size(TaskState.ARCHIVED) == 1);
			assertThat(this.handlers.attempts).containsExactly(1, 2);
			assertThat(queueType(settings.prefix() + ".queue.classic")).isEqualTo("classic");
		}
	}

	@Test
	void aRedeliveryOnAClassicQueueCountsAsASecondDelivery() throws Exception {
		RabbitSettings settings = settings("r").withQueueType(QueueType.CLASSIC);
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), settings, "redelivered", 3,
				this.handlers).start()) {
			worker.client.enqueue(Task.of("test:block", "b"));
			assertThat(this.handlers.blocking.await(30, TimeUnit.SECONDS)).isTrue();

			virtualHost.closeAllConnections();

			await().atMost(WAIT).until(() -> this.handlers.completed.contains("b"));
			assertThat(this.handlers.attempts).containsExactly(1, 2);
		}
	}

	@Test
	void theArchiveIsAStreamKeepingFailedTasks() {
		RabbitSettings settings = settings("s");
		String stream = settings.prefix() + ".archive.streamed";
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), settings, "streamed", 0,
				this.handlers).start()) {
			worker.client.enqueue(Task.of("test:fail", "f"));

			List<Map<String, Object>> archived = new CopyOnWriteArrayList<>();
			virtualHost.withChannel((channel) -> {
				channel.basicQos(10);
				channel.basicConsume(stream, false, Map.of("x-stream-offset", "first"),
						(tag, delivery) -> archived.add(delivery.getProperties().getHeaders()), (tag) -> {
						});
				await().atMost(WAIT).until(() -> !archived.isEmpty());
				return null;
			});
			assertThat(archived).singleElement()
				.satisfies((headers) -> assertThat(headers.get("worker-last-error").toString()).contains("boom 1"));
			assertThat(queueType(stream)).isEqualTo("stream");
		}
	}

	private static RabbitSettings settings(String prefix) {
		return RabbitSettings.defaults().withPrefix(prefix + System.nanoTime()).withConfirmTimeout(Duration.ofSeconds(5));
	}

	/** The type of a queue, read with rabbitmqctl. */
	private static String queueType(String queue) {
		for (String line : TestRabbit.rabbitmqctl("list_queues", "-p", virtualHost.name(), "--no-table-headers",
				"name", "type").split("\n")) {
			String[] columns = line.trim().split("\\s+");
			if (columns.length == 2 && columns[0].equals(queue)) {
				return columns[1];
			}
		}
		return "missing";
	}

}
