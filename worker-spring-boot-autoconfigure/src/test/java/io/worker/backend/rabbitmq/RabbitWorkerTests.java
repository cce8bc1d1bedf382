package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AMQP;
import io.worker.Task;
import io.worker.TaskContext;
import io.worker.TaskDetail;
import io.worker.TaskEnqueueException;
import io.worker.TaskHandler;
import io.worker.TaskState;
import io.worker.spi.TaskEnvelope;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tasks through a real {@link io.worker.runtime.WorkerServer} on RabbitMQ, in a virtual host of
 * its own: run and acknowledged once, delays without head-of-line blocking, retries through the
 * delay levels then the archive, garbage in a queue, tasks queued by an earlier version, and
 * redelivery after the connection is lost.
 */
class RabbitWorkerTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults().withPrefix("w" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final Handlers handlers = new Handlers();

	@Test
	void aTaskRunsOnceAndIsAcknowledged() {
		try (RabbitWorker worker = worker("once", 3).start()) {
			worker.client.enqueue(Task.of("test:ok", "t1"));

			await().atMost(WAIT).until(() -> this.handlers.runs("t1") == 1);
			worker.server.stop();
		}
		// the server's channels are closed: anything unacknowledged would be ready again
		assertThat(virtualHost.messageCount(queue("once"))).isZero();
		assertThat(this.handlers.runs("t1")).isEqualTo(1);
	}

	@Test
	void aShortDelayAfterALongOneArrivesFirstAndNeitherEarly() {
		try (RabbitWorker worker = worker("delays", 3).start()) {
			Instant longDue = Instant.now().plusSeconds(8);
			worker.client.enqueue(Task.of("test:ok", "long").processAt(longDue));
			Instant shortDue = Instant.now().plusSeconds(1);
			worker.client.enqueue(Task.of("test:ok", "short").processAt(shortDue));

			await().atMost(WAIT).until(() -> this.handlers.order.size() == 2);
			assertThat(this.handlers.order).containsExactly("short", "long");
			assertThat(this.handlers.firstRun.get("short")).isAfterOrEqualTo(shortDue);
			assertThat(this.handlers.firstRun.get("long")).isAfterOrEqualTo(longDue);
		}
	}

	@Test
	void aOneSecondDelayAfterAOneHourDelayDoesNotWaitBehindIt() {
		try (RabbitWorker worker = worker("hour", 3).start()) {
			worker.client.enqueue(Task.of("test:ok", "hour").processIn(Duration.ofHours(1)));
			Instant shortDue = Instant.now().plusSeconds(1);
			worker.client.enqueue(Task.of("test:ok", "second").processAt(shortDue));

			await().atMost(WAIT).until(() -> this.handlers.runs("second") == 1);
			assertThat(this.handlers.firstRun.get("second")).isAfterOrEqualTo(shortDue);
			assertThat(this.handlers.runs("hour")).isZero();
		}
	}

	@Test
	void aFailingTaskIsRetriedThroughTheDelayLevelsThenArchivedWithItsError() {
		try (RabbitWorker worker = worker("failing", 2).start()) {
			worker.client.enqueue(Task.of("test:fail", "f1"));

			await().atMost(WAIT).until(() -> archived(worker, "failing").size() == 1);
			assertThat(this.handlers.attempts).containsExactly(1, 2, 3);
			TaskDetail archived = archived(worker, "failing").get(0);
			assertThat(archived.type()).isEqualTo("test:fail");
			assertThat(archived.retried()).isEqualTo(3);
			assertThat(archived.lastError()).contains("boom 3");
			assertThat(archived.lastFailedAt()).isNotNull();
		}
	}

	@Test
	void garbageInAQueueIsArchivedWithAReasonAndALaterTaskRuns() {
		try (RabbitWorker worker = worker("garbage", 3).start()) {
			virtualHost.publish(queue("garbage"), Map.of("worker-id", "g1"), "not a task");
			worker.client.enqueue(Task.of("test:ok", "good"));

			await().atMost(WAIT).until(() -> this.handlers.runs("good") == 1);
			await().atMost(WAIT).until(() -> archived(worker, "garbage").size() == 1);
			TaskDetail archived = archived(worker, "garbage").get(0);
			assertThat(archived.lastError()).contains("not a Worker task").contains("worker-type");
			assertThat(archived.payload()).isEqualTo("not a task");
		}
	}

	@Test
	void aTaskQueuedWithItsEnvelopeInHeadersByAnEarlierVersionRuns() {
		try (RabbitWorker worker = worker("upgrade", 3).start()) {
			Map<String, Object> headers = Map.of(TaskEnvelope.ID, "old-1", TaskEnvelope.TYPE, "test:ok",
					TaskEnvelope.QUEUE, "upgrade", TaskEnvelope.ENQUEUED_AT, "2026-01-01T00:00:00Z",
					TaskEnvelope.RETRIED, "0");
			virtualHost.publish(queue("upgrade"), headers, "\"queued-before\"");
			worker.client.enqueue(Task.of("test:ok", "queued-after"));

			await().atMost(WAIT).until(() -> this.handlers.runs("queued-before") == 1);
			await().atMost(WAIT).until(() -> this.handlers.runs("queued-after") == 1);
		}
	}

	@Test
	void aBodyThatStartsLikeATaskEnvelopeButIsCutShortIsArchivedWithAReason() {
		try (RabbitWorker worker = worker("cut", 3).start()) {
			byte[] cut = { 0, 'W', 'K', 1, 0, 5, 0, 9, 'w', 'o' };
			virtualHost.withChannel((channel) -> {
				channel.basicPublish("", queue("cut"), new AMQP.BasicProperties.Builder().deliveryMode(2).build(), cut);
				return null;
			});
			worker.client.enqueue(Task.of("test:ok", "good"));

			await().atMost(WAIT).until(() -> this.handlers.runs("good") == 1);
			await().atMost(WAIT).until(() -> archived(worker, "cut").size() == 1);
			assertThat(archived(worker, "cut").get(0).lastError()).contains("not a Worker task").contains("cut short");
		}
	}

	@Test
	void aTaskWhoseConnectionIsLostMidRunIsDeliveredAgainWithItsCountAndRunsAgain() throws Exception {
		try (RabbitWorker worker = worker("lost", 3).start()) {
			worker.client.enqueue(Task.of("test:block", "b1"));
			assertThat(this.handlers.blocking.await(30, TimeUnit.SECONDS)).isTrue();

			virtualHost.closeAllConnections();

			await().atMost(WAIT).until(() -> this.handlers.completed.contains("b1"));
			assertThat(this.handlers.attempts).containsExactly(1, 2);
			assertThat(this.handlers.interrupted.get()).isEqualTo(1);
			worker.server.stop();
		}
		assertThat(virtualHost.messageCount(queue("lost"))).isZero();
	}

	@Test
	void tasksRunningOrBufferedAtShutdownAreHandedBackWithoutCountingAnAttempt() {
		this.handlers.holding = true;
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), this.settings, "shutdown", 3,
				this.handlers, Duration.ofMillis(500)).start()) {
			for (int i = 0; i < 6; i++) {
				worker.client.enqueue(Task.of("test:hold", "h" + i));
			}
			// concurrency 4: four run, two wait in the dispatcher's buffer
			await().atMost(WAIT).until(() -> this.handlers.holds.size() == 4);
		}
		assertThat(virtualHost.messageCount(queue("shutdown"))).isEqualTo(6);

		this.handlers.holding = false;
		this.handlers.holds.clear();
		try (RabbitWorker worker = worker("shutdown", 3).start()) {
			await().atMost(WAIT).until(() -> this.handlers.holds.size() == 6);
			assertThat(this.handlers.holds.values()).containsOnly(1);
		}
	}

	@Test
	void aRefusedPublishThrowsTaskEnqueueException() {
		try (RabbitWorker worker = worker("refused", 3)) {
			virtualHost.deleteQueue(queue("refused"));

			assertThatExceptionOfType(TaskEnqueueException.class)
				.isThrownBy(() -> worker.client.enqueue(Task.of("test:ok", "r1")))
				.withMessageContaining("unroutable");
		}
	}

	private RabbitWorker worker(String queue, int maxRetries) {
		return new RabbitWorker(virtualHost.connectionFactory(), this.settings, queue, maxRetries, this.handlers);
	}

	private String queue(String queue) {
		return this.settings.prefix() + ".queue." + queue;
	}

	private static List<TaskDetail> archived(RabbitWorker worker, String queue) {
		return worker.broker.inspector().tasks(queue, TaskState.ARCHIVED, 0, 10);
	}

	/** Handlers that record what ran. */
	static final class Handlers {

		final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		final Map<String, Instant> firstRun = new ConcurrentHashMap<>();

		final List<String> order = new CopyOnWriteArrayList<>();

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		final List<String> completed = new CopyOnWriteArrayList<>();

		final CountDownLatch blocking = new CountDownLatch(1);

		final AtomicInteger interrupted = new AtomicInteger();

		final Map<String, Integer> holds = new ConcurrentHashMap<>();

		volatile boolean holding;

		int runs(String id) {
			AtomicInteger count = this.runs.get(id);
			return (count != null) ? count.get() : 0;
		}

		@TaskHandler("test:ok")
		public void ok(String payload, TaskContext context) {
			this.firstRun.putIfAbsent(payload, Instant.now());
			this.runs.computeIfAbsent(payload, (id) -> new AtomicInteger()).incrementAndGet();
			this.order.add(payload);
		}

		@TaskHandler("test:fail")
		public void fail(String payload, TaskContext context) {
			this.attempts.add(context.attempt());
			throw new IllegalStateException("boom " + context.attempt());
		}

		@TaskHandler("test:hold")
		public void hold(String payload, TaskContext context) throws InterruptedException {
			this.holds.put(payload, context.attempt());
			if (this.holding) {
				new CountDownLatch(1).await(5, TimeUnit.MINUTES);
			}
		}

		@TaskHandler("test:block")
		public void block(String payload, TaskContext context) throws InterruptedException {
			this.attempts.add(context.attempt());
			if (context.attempt() == 1) {
				this.blocking.countDown();
				try {
					// runs until the runtime interrupts it: the channel it came on is gone
					new CountDownLatch(1).await(5, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					this.interrupted.incrementAndGet();
					throw ex;
				}
			}
			this.completed.add(payload);
		}

	}

}
