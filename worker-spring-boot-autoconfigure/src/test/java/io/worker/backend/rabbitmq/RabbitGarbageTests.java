package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.Task;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskState;
import io.worker.metrics.WorkerMetrics;
import io.worker.spi.TaskEnvelope;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Garbage published straight into a Worker queue with the plain client, not through Worker: each
 * message goes through the runtime as a malformed delivery, so that it is archived with the reason
 * and counted in {@code worker.tasks.malformed}, and the tasks behind it run. In a virtual host of
 * its own.
 */
class RabbitGarbageTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final String QUEUE = "garbage";

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults().withPrefix("g" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Handlers handlers = new Handlers();

	private RabbitWorker worker;

	@AfterEach
	void stop() {
		if (this.worker != null) {
			this.worker.close();
		}
		this.meters.close();
	}

	@Test
	void eachKindOfGarbageIsArchivedWithItsReasonAndCountedAndTheTasksAfterItRun() {
		start();
		String queue = this.settings.prefix() + ".queue." + QUEUE;
		virtualHost.publish(queue, Map.of(), "no headers at all");
		virtualHost.publish(queue, Map.of(TaskEnvelope.ID, "no-type", TaskEnvelope.QUEUE, QUEUE), "{}");
		Map<String, Object> badTime = envelope("bad-time");
		badTime.put(TaskEnvelope.ENQUEUED_AT, "yesterday");
		virtualHost.publish(queue, badTime, "{}");
		Map<String, Object> huge = envelope("huge");
		huge.put(TaskEnvelope.USER_HEADER_PREFIX + "big", "x".repeat(TaskEnvelope.MAX_VALUE_LENGTH + 1));
		virtualHost.publish(queue, huge, "x".repeat(1024 * 1024));
		this.worker.client.enqueue(Task.of("test:ok", "good"));

		await().atMost(WAIT).until(() -> this.handlers.ran.contains("good"));
		await().atMost(WAIT).until(() -> malformedCount() == 4);
		await().atMost(WAIT).until(() -> archived().size() == 4);
		Map<String, TaskDetail> byId = new HashMap<>();
		archived().forEach((task) -> byId.put(task.id(), task));
		assertThat(byId).containsKeys("no-type", "bad-time", "huge");
		assertThat(byId.get("no-type").lastError()).contains("malformed task").contains(TaskEnvelope.TYPE);
		assertThat(byId.get("bad-time").lastError()).contains("malformed task").contains(TaskEnvelope.ENQUEUED_AT);
		assertThat(byId.get("huge").lastError()).contains("malformed task");
		assertThat(byId.get("huge").payload()).hasSize(1024 * 1024);
		assertThat(archived()).filteredOn((task) -> task.payload().equals("no headers at all")).singleElement()
			.satisfies((task) -> assertThat(task.lastError()).contains("malformed task"));
		assertThat(virtualHost.messageCount(queue)).isZero();
	}

	@Test
	void aTaskWhosePayloadIsNotJsonOrWhoseTypeHasNoHandlerIsArchivedWithTheReasonAndTheWorkerGoesOn() {
		start();
		String queue = this.settings.prefix() + ".queue." + QUEUE;
		virtualHost.publish(queue, envelope("not-json"), "{not json");
		Map<String, Object> unknown = envelope("unknown-type");
		unknown.put(TaskEnvelope.TYPE, "test:nobody");
		virtualHost.publish(queue, unknown, "\"x\"");
		this.worker.client.enqueue(Task.of("test:ok", "good"));

		await().atMost(WAIT).until(() -> this.handlers.ran.contains("good"));
		await().atMost(WAIT).until(() -> archived().size() == 2);
		Map<String, TaskDetail> byId = new HashMap<>();
		archived().forEach((task) -> byId.put(task.id(), task));
		assertThat(byId.get("not-json").lastError()).contains("payload");
		assertThat(byId.get("unknown-type").lastError()).contains("no handler for task type 'test:nobody'");
		assertThat(malformedCount()).isZero();
		this.worker.client.enqueue(Task.of("test:ok", "after"));
		await().atMost(WAIT).until(() -> this.handlers.ran.contains("after"));
	}

	/** A readable envelope of a task of this queue that runs at most once. */
	private static Map<String, Object> envelope(String id) {
		Map<String, Object> headers = new HashMap<>();
		headers.put(TaskEnvelope.ID, id);
		headers.put(TaskEnvelope.TYPE, "test:ok");
		headers.put(TaskEnvelope.QUEUE, QUEUE);
		headers.put(TaskEnvelope.ENQUEUED_AT, "2026-01-01T00:00:00Z");
		headers.put(TaskEnvelope.MAX_RETRIES, "0");
		return headers;
	}

	private void start() {
		WorkerMetrics metrics = new WorkerMetrics();
		metrics.bindTo(this.meters);
		this.worker = new RabbitWorker(virtualHost.connectionFactory(), this.settings, QUEUE, 3, this.handlers,
				Duration.ofSeconds(5), metrics).start();
	}

	private double malformedCount() {
		var counter = this.meters.find("worker.tasks.malformed").tag("queue", QUEUE).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private List<TaskDetail> archived() {
		return this.worker.broker.inspector().tasks(QUEUE, TaskState.ARCHIVED, 0, 100);
	}

	static final class Handlers {

		final Set<String> ran = ConcurrentHashMap.newKeySet();

		@TaskHandler("test:ok")
		void ok(String payload) {
			this.ran.add(payload);
		}

	}

}
