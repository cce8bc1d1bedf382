package io.worker.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskState;
import io.worker.spi.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running server: queue selection under load, per-queue caps, and shutdown that loses nothing.
 */
class WorkerServerTests {

	private final RuntimeFixture fixture = new RuntimeFixture();

	private final RecordingHandlers handlers = new RecordingHandlers();

	private WorkerServer server;

	WorkerServerTests() {
		this.fixture.handlers(this.handlers);
	}

	@AfterEach
	void stop() {
		this.handlers.release.countDown();
		if (this.server != null) {
			this.server.stop();
		}
		this.fixture.close();
	}

	@Test
	void weightedQueuesShareWorkInProportionToTheirWeights() {
		TaskClient client = this.fixture.client();
		for (int i = 0; i < 1000; i++) {
			for (String queue : List.of("critical", "default", "low")) {
				client.enqueue(Task.of("record", queue).queue(queue));
			}
		}
		start(RuntimeFixture.settings(1, false, Map.of(), Map.of()));
		await().atMost(Duration.ofSeconds(60)).until(() -> this.handlers.order.size() == 3000);
		List<String> firstThird = this.handlers.order.subList(0, 1000);
		assertThat(RuntimeFixture.share(firstThird, "critical")).isBetween(0.5, 0.7);
		assertThat(RuntimeFixture.share(firstThird, "default")).isBetween(0.22, 0.38);
		assertThat(RuntimeFixture.share(firstThird, "low")).isBetween(0.05, 0.15);
	}

	@Test
	void strictPriorityDrainsHigherQueuesFirst() {
		TaskClient client = this.fixture.client();
		for (int i = 0; i < 50; i++) {
			client.enqueue(Task.of("record", "low").queue("low"));
		}
		for (int i = 0; i < 50; i++) {
			client.enqueue(Task.of("record", "default").queue("default"));
			client.enqueue(Task.of("record", "critical").queue("critical"));
		}
		start(RuntimeFixture.settings(1, true, Map.of(), Map.of()));
		await().atMost(Duration.ofSeconds(30)).until(() -> this.handlers.order.size() == 150);
		assertThat(this.handlers.order.subList(0, 50)).containsOnly("critical");
		assertThat(this.handlers.order.subList(50, 100)).containsOnly("default");
		assertThat(this.handlers.order.subList(100, 150)).containsOnly("low");
	}

	@Test
	void queueConcurrencyCapHoldsWhileOtherWorkersAreFree() {
		TaskClient client = this.fixture.client();
		for (int i = 0; i < 6; i++) {
			client.enqueue(Task.of("hold", "low").queue("low"));
		}
		start(RuntimeFixture.settings(4, false, Map.of("low", 1), Map.of()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.running.get() == 1);
		this.handlers.release.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.handlers.finished.get() == 6);
		assertThat(this.handlers.maxRunning).hasValue(1);
	}

	@Test
	void rateLimitedQueueStartsNoMoreThanItsPermitsPerPeriod() {
		TaskClient client = this.fixture.client();
		for (int i = 0; i < 5; i++) {
			client.enqueue(Task.of("record", "emails").queue("emails"));
		}
		start(RuntimeFixture.settings(4, false, Map.of(), Map.of("emails", new RateLimit(2, Duration.ofSeconds(1)))));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.order.size() == 2);
		assertThat(this.fixture.store.inspector().queue("emails").size(TaskState.PENDING)).isEqualTo(3);
		this.fixture.clock.advance(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.order.size() == 4);
		this.fixture.clock.advance(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.order.size() == 5);
	}

	@Test
	void shutdownLetsRunningTasksFinishAndLeavesTheRestPending() {
		TaskClient client = this.fixture.client();
		for (int i = 0; i < 5; i++) {
			client.enqueue(Task.of("hold", "default"));
		}
		start(RuntimeFixture.settings(2, false, Map.of(), Map.of()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.running.get() == 2);
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.server::stop);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.server.isRunning());
		this.handlers.release.countDown();
		stopping.join();
		assertThat(this.handlers.finished).hasValue(2);
		assertThat(this.handlers.interrupted).hasValue(0);
		assertThat(this.fixture.store.inspector().queue("default").size(TaskState.PENDING)).isEqualTo(3);
		assertThat(this.fixture.store.inspector().queue("default").size(TaskState.ACTIVE)).isZero();
	}

	@Test
	void shutdownPastItsTimeoutHandsUnfinishedTasksBackUnretried() {
		TaskClient client = this.fixture.client();
		for (int i = 0; i < 5; i++) {
			client.enqueue(Task.of("hold", "default"));
		}
		ServerSettings quick = RuntimeFixture.settings(2, false, Map.of(), Map.of());
		start(new ServerSettings(2, quick.queueWeights(), false, Map.of(), Map.of(), Duration.ofMillis(100),
				quick.forwardInterval(), quick.recoverInterval(), quick.janitorInterval(), quick.heartbeatInterval()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.running.get() == 2);
		this.server.stop();
		assertThat(this.handlers.interrupted).hasValue(2);
		assertThat(this.fixture.store.inspector().queue("default").size(TaskState.PENDING)).isEqualTo(5);
		assertThat(this.fixture.store.inspector().tasks("default", TaskState.PENDING, 0, 10))
			.allSatisfy((task) -> assertThat(task.retried()).isZero());
	}

	@Test
	void enqueueReportsTheStateAtEnqueueEvenWhenAWorkerTakesTheTaskAtOnce() {
		start(RuntimeFixture.settings(4, false, Map.of(), Map.of()));
		TaskClient client = this.fixture.client();
		for (int i = 0; i < 200; i++) {
			assertThat(client.enqueue(Task.of("record", "default")).state()).isEqualTo(TaskState.PENDING);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.handlers.order.size() == 200);
	}

	@Test
	void registersItselfAsALiveWorker() {
		start(RuntimeFixture.settings(3, false, Map.of(), Map.of()));
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.fixture.store.inspector().workers().isEmpty());
		assertThat(this.fixture.store.inspector().workers().get(0).concurrency()).isEqualTo(3);
		this.server.stop();
		assertThat(this.fixture.store.inspector().workers()).isEmpty();
	}

	private void start(ServerSettings settings) {
		this.server = new WorkerServer(this.fixture.store, this.fixture.executor(), this.fixture.activeTasks,
				this.fixture.settings(), this.fixture.registry, settings, new TaskEventListener() {
				}, this.fixture.clock);
		this.server.start();
	}


}
