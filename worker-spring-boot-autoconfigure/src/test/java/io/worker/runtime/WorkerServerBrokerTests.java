package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.spi.BrokerContext;
import io.worker.spi.RateLimit;
import io.worker.spi.TaskMessage;
import io.worker.spi.UnsupportedSettingException;
import io.worker.testsupport.broker.InProcessBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The runtime over a push broker: what it tells the broker, how it spreads the broker's deliveries
 * over its pool, and that it never lets a broker acknowledge a task that was not settled.
 */
class WorkerServerBrokerTests {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private final RuntimeFixture fixture = new RuntimeFixture();

	private final RecordingHandlers handlers = new RecordingHandlers();

	private InProcessBroker broker = new InProcessBroker();

	private WorkerServer server;

	WorkerServerBrokerTests() {
		// the broker's timers run on real time: start the test clock at the real now
		this.fixture.clock.set(Instant.now());
		this.fixture.handlers(this.handlers);
	}

	@AfterEach
	void stop() {
		this.handlers.release.countDown();
		if (this.server != null) {
			this.server.stop();
		}
		this.broker.stop();
		this.fixture.close();
	}

	@Test
	void startTellsTheBrokerTheQueuesAndSettings() {
		start(RuntimeFixture.settings(7, false, Map.of("low", 2), Map.of("default", new RateLimit(5, Duration.ofSeconds(1)))));
		BrokerContext context = this.broker.context();
		assertThat(context.workerId()).isEqualTo(this.server.info().id());
		assertThat(context.queues()).containsExactly("critical", "default", "low");
		assertThat(context.queueWeights()).containsEntry("critical", 6).containsEntry("default", 3).containsEntry("low", 1);
		assertThat(context.queueCaps()).containsExactly(Map.entry("low", 2));
		assertThat(context.rateLimits()).containsKey("default");
		assertThat(context.concurrency()).isEqualTo(7);
		assertThat(context.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(context.prefetch("low")).isEqualTo(2 + BrokerContext.MIN_BUFFER);
		assertThat(context.prefetch("critical")).isEqualTo(7 + BrokerContext.MIN_BUFFER);
	}

	@Test
	void aSettingTheBrokerCannotHonourFailsTheStartNamingTheProperty() {
		this.broker = new InProcessBroker(Duration.ofMinutes(1), true);
		assertThatExceptionOfType(UnsupportedSettingException.class)
			.isThrownBy(() -> start(RuntimeFixture.settings(1, true, Map.of(), Map.of())))
			.withMessageContaining("worker.server.strict-priority")
			.withMessageContaining("in-process");
		assertThat(this.server.isRunning()).isFalse();
		this.server = null;
	}

	@Test
	void weightedQueuesShareOneSlotWithinAThirdOfTheirWeights() {
		TaskClient client = this.fixture.client(this.broker);
		for (int i = 0; i < 1000; i++) {
			for (String queue : List.of("critical", "default", "low")) {
				client.enqueue(Task.of("record", queue).queue(queue));
			}
		}
		// every task buffered at once: the shares are the stride schedule's alone, not also the
		// consumer thread's refill latency, which on a loaded machine can let every buffer run dry
		// and leave each queue the share of its buffer (a third) until the refill
		this.broker.prefetch(3000);
		start(RuntimeFixture.settings(1, false, Map.of(), Map.of()));
		await().atMost(Duration.ofSeconds(60)).until(() -> this.handlers.order.size() == 3000);
		List<String> firstThird = this.handlers.order.subList(0, 1000);
		assertThat(RuntimeFixture.share(firstThird, "critical")).isBetween(0.6 * 2 / 3, 0.6 * 4 / 3);
		assertThat(RuntimeFixture.share(firstThird, "default")).isBetween(0.3 * 2 / 3, 0.3 * 4 / 3);
		assertThat(RuntimeFixture.share(firstThird, "low")).isBetween(0.1 * 2 / 3, 0.1 * 4 / 3);
		await().atMost(AWAIT).until(() -> this.broker.acks() == 3000);
	}

	@Test
	void handlersRunOnTheWorkerPoolNeverOnTheBrokersThread() {
		TaskClient client = this.fixture.client(this.broker);
		for (int i = 0; i < 20; i++) {
			client.enqueue(Task.of("record", "default"));
		}
		start(RuntimeFixture.settings(4, false, Map.of(), Map.of()));
		await().atMost(AWAIT).until(() -> this.handlers.order.size() == 20);
		assertThat(this.handlers.threads).isNotEmpty().allSatisfy((name) -> assertThat(name).startsWith("worker-"));
	}

	@Test
	void aHandlerLongerThanTheBrokersPollTimeoutKeepsTheConsumerPollingAndCompletesOnce() {
		Duration pollTimeout = Duration.ofMillis(200);
		this.broker = new InProcessBroker(pollTimeout, false);
		this.fixture.client(this.broker).enqueue(Task.of("hold", "default"));
		start(RuntimeFixture.settings(2, false, Map.of(), Map.of()));
		await().atMost(AWAIT).until(() -> this.handlers.running.get() == 1);
		long pollsAtStart = this.broker.polls();
		Instant started = Instant.now();
		// the handler holds its task well past the poll timeout while the consumer keeps polling
		await().atMost(AWAIT)
			.until(() -> Duration.between(started, Instant.now()).compareTo(pollTimeout.multipliedBy(3)) > 0
					&& this.broker.polls() > pollsAtStart + 10);
		this.fixture.client(this.broker).enqueue(Task.of("record", "default"));
		await().atMost(AWAIT).until(() -> this.handlers.order.size() == 1);
		this.handlers.release.countDown();
		await().atMost(AWAIT).until(() -> this.broker.acks() == 2);
		assertThat(this.broker.evictions()).isZero();
		assertThat(this.handlers.finished).hasValue(1);
		assertThat(this.broker.nacks()).isZero();
	}

	@Test
	void queueCapHoldsWhileOtherWorkersAreFree() {
		TaskClient client = this.fixture.client(this.broker);
		for (int i = 0; i < 6; i++) {
			client.enqueue(Task.of("hold", "low").queue("low"));
		}
		start(RuntimeFixture.settings(4, false, Map.of("low", 1), Map.of()));
		await().atMost(AWAIT).until(() -> this.handlers.running.get() == 1);
		this.handlers.release.countDown();
		await().atMost(AWAIT).until(() -> this.handlers.finished.get() == 6);
		assertThat(this.handlers.maxRunning).hasValue(1);
		await().atMost(AWAIT).until(() -> this.broker.acks() == 6);
	}

	@Test
	void rateLimitedQueueStartsNoMoreThanItsPermitsPerPeriod() {
		TaskClient client = this.fixture.client(this.broker);
		for (int i = 0; i < 5; i++) {
			client.enqueue(Task.of("record", "emails").queue("emails"));
		}
		start(RuntimeFixture.settings(4, false, Map.of(), Map.of("emails", new RateLimit(2, Duration.ofSeconds(1)))));
		await().atMost(AWAIT).until(() -> this.handlers.order.size() == 2);
		await().during(Duration.ofMillis(300)).atMost(AWAIT).until(() -> this.handlers.order.size() == 2);
		this.fixture.clock.advance(Duration.ofSeconds(1));
		await().atMost(AWAIT).until(() -> this.handlers.order.size() == 4);
		this.fixture.clock.advance(Duration.ofSeconds(1));
		await().atMost(AWAIT).until(() -> this.handlers.order.size() == 5);
	}

	@Test
	void stopDrainsThenInterruptsAndHandsEveryUnfinishedDeliveryBackUncounted() {
		TaskClient client = this.fixture.client(this.broker);
		for (int i = 0; i < 5; i++) {
			client.enqueue(Task.of("hold", "default"));
		}
		ServerSettings quick = RuntimeFixture.settings(2, false, Map.of(), Map.of());
		start(new ServerSettings(2, quick.queueWeights(), false, Map.of(), Map.of(), Duration.ofMillis(100),
				quick.forwardInterval(), quick.recoverInterval(), quick.janitorInterval(), quick.heartbeatInterval()));
		await().atMost(AWAIT).until(() -> this.handlers.running.get() == 2);
		this.server.stop();
		assertThat(this.handlers.interrupted).hasValue(2);
		assertThat(this.broker.acks()).isZero();
		assertThat(this.broker.unackedCount()).isZero();
		assertThat(this.broker.ready("default")).hasSize(5).allSatisfy((task) -> assertThat(task.retried()).isZero());
		assertThat(this.broker.headDeliveryCount("default")).isEqualTo(1);
	}

	@Test
	void stopLetsRunningTasksFinishWithinTheShutdownTimeout() {
		TaskClient client = this.fixture.client(this.broker);
		for (int i = 0; i < 5; i++) {
			client.enqueue(Task.of("hold", "default"));
		}
		start(RuntimeFixture.settings(2, false, Map.of(), Map.of()));
		await().atMost(AWAIT).until(() -> this.handlers.running.get() == 2);
		CompletableFuture<Void> stopping = CompletableFuture.runAsync(this.server::stop);
		await().atMost(AWAIT).until(() -> !this.server.isRunning());
		this.handlers.release.countDown();
		stopping.join();
		assertThat(this.handlers.finished).hasValue(2);
		assertThat(this.handlers.interrupted).hasValue(0);
		assertThat(this.broker.acks()).isEqualTo(2);
		assertThat(this.broker.ready("default")).hasSize(3);
	}

	@Test
	void aFailedSettlementIsNeverAcknowledgedAndTheTaskIsDeliveredAgain() {
		this.broker.failNextSettlements(1);
		this.fixture.client(this.broker).enqueue(Task.of("record", "default"));
		start(RuntimeFixture.settings(2, false, Map.of(), Map.of()));
		await().atMost(AWAIT).until(() -> this.broker.acks() == 1);
		assertThat(this.broker.nacks()).isEqualTo(1);
		assertThat(this.handlers.order).hasSize(2);
		assertThat(this.handlers.attempts).containsExactly(1, 2);
	}

	@Test
	void aRevokedDeliveryStopsItsHandlerAndIsLeftToItsNextDelivery() {
		this.fixture.client(this.broker).enqueue(Task.of("hold-once", "default"));
		start(RuntimeFixture.settings(2, false, Map.of(), Map.of()));
		await().atMost(AWAIT).until(() -> this.handlers.running.get() == 1);
		assertThat(this.broker.revoke(this.handlers.heldIds.iterator().next())).isTrue();
		await().atMost(AWAIT).until(() -> this.broker.acks() == 1 && this.handlers.interrupted.get() == 1);
		assertThat(this.handlers.attempts).containsExactly(1, 2);
		assertThat(this.broker.nacks()).isZero();
	}

	@Test
	void aTaskWhoseWorkerDiesEveryTimeIsArchivedOnceItsRetriesAreUsedUp() {
		this.fixture.client(this.broker).enqueue(Task.of("hold", "default").maxRetries(2));
		start(RuntimeFixture.settings(1, false, Map.of(), Map.of()));
		for (int deliveries = 1; deliveries <= 3; deliveries++) {
			int started = deliveries;
			await().atMost(AWAIT).until(() -> this.handlers.attempts.size() == started);
			await().atMost(AWAIT).until(() -> this.broker.unackedCount() == 1);
			this.broker.kill();
		}
		await().atMost(AWAIT).until(() -> this.broker.archived("default").size() == 1);
		assertThat(this.handlers.attempts).containsExactly(1, 2, 3);
		TaskMessage archived = this.broker.archived("default").get(0);
		assertThat(archived.retried()).isEqualTo(3);
		assertThat(archived.lastError()).contains("delivery lost 3 time(s)");
	}

	private void start(ServerSettings settings) {
		this.server = new WorkerServer(this.broker, this.fixture.executor(), this.fixture.activeTasks,
				this.fixture.settings(), this.fixture.registry, settings, new TaskEventListener() {
				}, this.fixture.clock);
		this.server.start();
	}


}
