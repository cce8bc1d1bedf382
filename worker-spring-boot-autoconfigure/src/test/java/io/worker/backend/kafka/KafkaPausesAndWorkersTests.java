package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.worker.QueueInfo;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.BrokerContext;
import io.worker.spi.Delivery;
import io.worker.spi.DeliverySink;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing a queue and listing workers across instances, against a real KRaft broker: two backends
 * on the same topics stand for two instances. Each test has topics of its own prefix, deleted after.
 */
class KafkaPausesAndWorkersTests {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private final String prefix = "pauses-" + UUID.randomUUID().toString().substring(0, 8);

	private final String queue = "q-" + UUID.randomUUID();

	private final List<KafkaTaskBroker> brokers = new ArrayList<>();

	private final List<CompletableFuture<Void>> stages = new ArrayList<>();

	private final Map<Delivery, CompletableFuture<Void>> finishes = new ConcurrentHashMap<>();

	@AfterEach
	void cleanUp() {
		this.stages.forEach((stage) -> stage.complete(null));
		this.brokers.forEach(KafkaTaskBroker::stop);
		try {
			this.brokers.get(0).deleteTopics(List.of(this.queue));
		}
		finally {
			this.brokers.forEach(KafkaTaskBroker::close);
		}
	}

	@Test
	void queuePausedOnOneInstanceHoldsItsTasksOnAnInstanceStartedLaterUntilResumed() throws InterruptedException {
		KafkaTaskBroker operator = broker();
		operator.inspector().pauseQueue(this.queue);
		String id = enqueue(operator);
		KafkaTaskBroker worker = broker();
		LinkedBlockingQueue<Delivery> offered = start(worker);
		assertThat(worker.inspector().queue(this.queue).paused()).isTrue();
		assertThat(offered.poll(1500, TimeUnit.MILLISECONDS)).as("a delivery of the paused queue").isNull();
		assertThat(worker.inspector().queue(this.queue).size(TaskState.PENDING)).isEqualTo(1);
		worker.scheduleStore().list();
		// the backend's own topics (control, heartbeats, schedules, cancel) are not queues
		assertThat(worker.inspector().queues()).extracting(QueueInfo::name)
			.contains(this.queue)
			.doesNotContain("control", "workers", "schedules", "cancel");
		operator.inspector().resumeQueue(this.queue);
		Delivery delivery = offered.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(delivery).isNotNull();
		assertThat(delivery.message().id()).isEqualTo(id);
		await().atMost(AWAIT).until(() -> !worker.inspector().queue(this.queue).paused());
	}

	@Test
	void queuePausedWhileAnInstanceRunsStopsOfferingThere() throws InterruptedException {
		KafkaTaskBroker worker = broker();
		LinkedBlockingQueue<Delivery> offered = start(worker);
		String first = enqueue(worker);
		Delivery delivery = offered.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(delivery).isNotNull();
		assertThat(delivery.message().id()).isEqualTo(first);
		KafkaTaskBroker operator = broker();
		operator.inspector().pauseQueue(this.queue);
		await().atMost(AWAIT).until(() -> worker.inspector().queue(this.queue).paused());
		enqueue(operator);
		assertThat(offered.poll(1500, TimeUnit.MILLISECONDS)).as("a delivery of the paused queue").isNull();
		operator.inspector().resumeQueue(this.queue);
		assertThat(offered.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();
	}

	@Test
	void keyedTasksHeldBehindARunningOneAreNotOfferedWhileTheQueueIsPausedAndRunInKeyOrderAfterTheResume()
			throws InterruptedException {
		KafkaTaskBroker worker = broker();
		// stored before the consumer starts, so its first fetch brings all three: two wait in the key's lane
		List<String> ids = List.of(enqueue(worker, "k"), enqueue(worker, "k"), enqueue(worker, "k"));
		LinkedBlockingQueue<Delivery> offered = start(worker);
		Delivery running = offered.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(running).isNotNull();
		assertThat(running.message().id()).isEqualTo(ids.get(0));
		worker.inspector().pauseQueue(this.queue);
		finish(running);
		assertThat(offered.poll(1500, TimeUnit.MILLISECONDS)).as("a held delivery of the paused queue").isNull();
		worker.inspector().resumeQueue(this.queue);
		Delivery second = offered.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(second).isNotNull();
		assertThat(second.message().id()).isEqualTo(ids.get(1));
		assertThat(offered.poll(300, TimeUnit.MILLISECONDS)).as("the key's next task while one runs").isNull();
		finish(second);
		Delivery third = offered.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(third).isNotNull();
		assertThat(third.message().id()).isEqualTo(ids.get(2));
	}

	@Test
	void workersAreListedFromTheirHeartbeatsOnEveryInstanceUntilTheyStopOrGoStale() {
		KafkaTaskBroker one = broker();
		KafkaTaskBroker other = broker();
		Instant now = Instant.now();
		WorkerInfo live = new WorkerInfo("w-live", "host-a", 11, 4, Map.of(this.queue, 2), false, now, 3, now);
		WorkerInfo stale = new WorkerInfo("w-stale", "host-b", 12, 1, Map.of(), false, now.minusSeconds(120), 0,
				now.minusSeconds(60));
		one.workerRegistry().heartbeat(live, Duration.ofMinutes(1));
		one.workerRegistry().heartbeat(stale, Duration.ofSeconds(15));
		await().atMost(AWAIT).untilAsserted(() -> assertThat(other.inspector().workers()).containsExactly(live));
		one.workerRegistry().unregister("w-live");
		await().atMost(AWAIT).until(() -> other.inspector().workers().isEmpty());
		assertThat(broker().inspector().workers()).isEmpty();
	}

	private KafkaTaskBroker broker() {
		KafkaTaskBroker broker = new KafkaTaskBroker(KafkaTestSettings.settings(this.prefix, 2, Map.of()),
				Clock.systemUTC());
		this.brokers.add(broker);
		return broker;
	}

	private String enqueue(KafkaTaskBroker broker) {
		return enqueue(broker, null);
	}

	private String enqueue(KafkaTaskBroker broker, String key) {
		String id = UUID.randomUUID().toString();
		TaskMessage message = TaskMessage.builder(id, "t", this.queue)
			.payload("1".getBytes(StandardCharsets.UTF_8))
			.enqueuedAt(Instant.now())
			.key(key)
			.build();
		assertThat(broker.enqueue(List.of(new EnqueueRequest(message, null))).get(0).failure()).isNull();
		return id;
	}

	/** Settle a delivery and complete its stage, as the runtime does when its task ends. */
	private void finish(Delivery delivery) {
		delivery.complete(null);
		this.finishes.get(delivery).complete(null);
	}

	private LinkedBlockingQueue<Delivery> start(KafkaTaskBroker broker) {
		LinkedBlockingQueue<Delivery> offered = new LinkedBlockingQueue<>();
		DeliverySink sink = (delivery) -> {
			CompletableFuture<Void> stage = new CompletableFuture<>();
			synchronized (this.stages) {
				this.stages.add(stage);
			}
			this.finishes.put(delivery, stage);
			offered.add(delivery);
			return stage;
		};
		broker.start(new BrokerContext("worker-" + UUID.randomUUID(), Map.of(this.queue, 1), false, Map.of(), Map.of(),
				1, Duration.ofSeconds(5)), sink);
		return offered;
	}

}
