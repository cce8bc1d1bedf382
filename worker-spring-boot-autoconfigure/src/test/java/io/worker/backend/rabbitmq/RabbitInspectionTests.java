package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.worker.QueueInfo;
import io.worker.Task;
import io.worker.TaskContext;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The inspector, cancellation and connection loss on RabbitMQ, in a virtual host of their own.
 */
class RabbitInspectionTests {

	private static final Duration WAIT = Duration.ofSeconds(90);

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults().withPrefix("i" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final Handlers handlers = new Handlers();

	@Test
	void queueSizesComeFromTheQueueAndItsArchive() {
		try (RabbitWorker worker = worker("counted")) {
			for (int i = 0; i < 3; i++) {
				worker.client.enqueue(Task.of("test:gate", "c" + i));
			}
			worker.client.enqueue(Task.of("test:gate", "later").processAt(Instant.now().plusSeconds(3600)));
			TaskInspector inspector = worker.broker.inspector();

			QueueInfo counted = inspector.queue("counted");
			assertThat(counted.size(TaskState.PENDING)).isEqualTo(3);
			assertThat(counted.size(TaskState.ARCHIVED)).isZero();
			// the delay levels are shared by every queue: RabbitMQ counts their tasks in total only
			assertThat(counted.knows(TaskState.SCHEDULED)).isFalse();
			assertThat(counted.knows(TaskState.RETRY)).isFalse();
			assertThat(worker.broker.delayedTasks()).isEqualTo(1);
			assertThat(counted.size(TaskState.ACTIVE)).isZero();
			assertThat(counted.knows(TaskState.ACTIVE)).isTrue();
			assertThat(inspector.queues()).extracting(QueueInfo::name).contains("counted");
			assertThat(inspector.queue("never-used").size(TaskState.PENDING)).isZero();
			assertThat(inspector.workers()).isEmpty();
			assertThatExceptionOfType(UnsupportedOperationByBackendException.class)
				.isThrownBy(() -> inspector.tasks("counted", TaskState.PENDING, 0, 10))
				.withMessageContaining("rabbitmq")
				.withMessageContaining("LIST_TASKS");
			assertThat(counted.paused()).isFalse();
		}
	}

	@Test
	void activeTasksAreCountedFromTheHeartbeatsOfTheWorkersHoldingThem() {
		this.handlers.gateAfter = 0;
		try (RabbitWorker running = worker("busy").start(); RabbitWorker looking = worker("busy")) {
			running.client.enqueue(Task.of("test:gate", "a1"));
			running.client.enqueue(Task.of("test:gate", "a2"));
			await().atMost(WAIT).until(() -> this.handlers.started.get() == 2);

			// counted at once where they run, from the next heartbeat elsewhere
			assertThat(running.broker.inspector().queue("busy").size(TaskState.ACTIVE)).isEqualTo(2);
			await().atMost(WAIT).until(() -> looking.broker.inspector().queue("busy").size(TaskState.ACTIVE) == 2);
			assertThat(looking.broker.inspector().queue("busy").size(TaskState.PENDING)).isZero();

			this.handlers.gate.countDown();
			await().atMost(WAIT).until(() -> this.handlers.done.size() == 2);
			await().atMost(WAIT).until(() -> running.broker.inspector().queue("busy").size(TaskState.ACTIVE) == 0);
			await().atMost(WAIT).until(() -> looking.broker.inspector().queue("busy").size(TaskState.ACTIVE) == 0);
		}
	}

	@Test
	void aCancelledTaskIsInterruptedAndArchivedAsCancelled() {
		try (RabbitWorker worker = worker("cancelled").start()) {
			worker.client.enqueue(Task.of("test:gate", "victim"));
			await().atMost(WAIT).until(() -> this.handlers.ids.containsKey("victim"));

			worker.broker.inspector().cancelTask(this.handlers.ids.get("victim"));

			await().atMost(WAIT)
				.until(() -> worker.broker.inspector().tasks("cancelled", TaskState.ARCHIVED, 0, 10).size() == 1);
			assertThat(this.handlers.interrupted.get()).isEqualTo(1);
			assertThat(worker.broker.inspector().tasks("cancelled", TaskState.ARCHIVED, 0, 10).get(0).lastError())
				.isEqualTo("cancelled");
		}
	}

	@Test
	void noTaskOf1000IsLostWhenEveryConnectionClosesUnderARunningWorker() {
		int tasks = 1000;
		this.handlers.gateAfter = 200;
		try (RabbitWorker worker = worker("outage").start()) {
			worker.client.enqueueAll(IntStream.range(0, tasks)
				.mapToObj((i) -> Task.of("test:gate", "o" + i))
				.toList());
			// four tasks hold their slots at the gate: the connections close under them
			await().atMost(WAIT).until(() -> this.handlers.started.get() >= 204);

			virtualHost.closeAllConnections();
			// their channel is gone: the runtime interrupts them, and RabbitMQ will deliver them again (so
			// are tasks that had been buffered from that channel, which may start and be interrupted too)
			await().atMost(WAIT).until(() -> this.handlers.interrupted.get() >= 4);
			this.handlers.gate.countDown();

			await().atMost(WAIT).until(() -> this.handlers.done.size() == tasks);
			worker.server.stop();
			assertThat(worker.broker.inspector().queue("outage").size(TaskState.ARCHIVED)).isZero();
		}
		assertThat(this.handlers.done).containsExactlyInAnyOrderElementsOf(
				IntStream.range(0, tasks).mapToObj((i) -> "o" + i).toList());
		assertThat(this.handlers.maxAttempt.get()).isGreaterThanOrEqualTo(2);
		assertThat(virtualHost.messageCount(queue("outage"))).isZero();
	}

	private RabbitWorker worker(String queue) {
		return new RabbitWorker(virtualHost.connectionFactory(), this.settings, queue, 5, this.handlers);
	}

	private String queue(String queue) {
		return this.settings.prefix() + ".queue." + queue;
	}

	/** A handler that holds tasks at a gate once some have started, and records what finished. */
	static final class Handlers {

		final Map<String, String> ids = new ConcurrentHashMap<>();

		final Set<String> done = ConcurrentHashMap.newKeySet();

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger interrupted = new AtomicInteger();

		final AtomicInteger maxAttempt = new AtomicInteger();

		final CountDownLatch gate = new CountDownLatch(1);

		volatile int gateAfter;

		@TaskHandler("test:gate")
		public void gate(String payload, TaskContext context) throws InterruptedException {
			this.ids.put(payload, context.taskId());
			this.maxAttempt.accumulateAndGet(context.attempt(), Math::max);
			if (this.started.incrementAndGet() > this.gateAfter) {
				try {
					this.gate.await(5, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					this.interrupted.incrementAndGet();
					throw ex;
				}
			}
			this.done.add(payload);
		}

	}

}
