package io.worker.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.worker.Task;
import io.worker.TaskDetail;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.runtime.CapabilityCheckingTaskInspector;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@link TaskBroker} contract, in real time: what a push broker must do for the runtime, proven
 * the same way on every broker by subclassing. The broker is driven directly through a
 * {@link DeliverySink} the test holds, so each rule of the settlement contract is seen on its own:
 * a settled delivery is not delivered again, a failed stage brings it back with one more delivery
 * count, a hand-back does not count, prefetch bounds the unfinished deliveries, delays and retries
 * are never early and late by at most {@link #delayTolerance()}, and a consumer that stops
 * consuming keeps its deliveries settle-able.
 */
public abstract class TaskBrokerContractTests extends TaskBackendContractTests {

	private final Set<String> usedQueues = new LinkedHashSet<>();

	private final RecordingSink sink = new RecordingSink();

	private TaskBroker broker;

	private boolean started;

	/** A new broker, not started. */
	protected abstract TaskBroker createBroker();

	/** How late a delayed task or a retry may arrive: the broker's delay granularity. */
	protected abstract Duration delayTolerance();

	/** Kill the connection of the broker's consumer, as a crashed worker would lose it. */
	protected abstract void killConsumer(TaskBroker broker);

	/** Remove what the test created (its queues are {@link #usedQueues()}). */
	protected abstract void cleanUp(TaskBroker broker);

	/** The queues the current test used. */
	protected final Set<String> usedQueues() {
		return this.usedQueues;
	}

	@BeforeEach
	void createBroker_() {
		this.broker = createBroker();
	}

	@AfterEach
	void stopBroker() {
		if (this.started) {
			this.broker.stopConsuming();
			this.sink.completeAll();
			this.broker.stop();
		}
		cleanUp(this.broker);
	}

	@Override
	protected final TaskBackend backend() {
		return this.broker;
	}

	@Override
	protected final Clock backendClock() {
		return Clock.systemUTC();
	}

	@Override
	protected final String newQueue() {
		String queue = "q-" + UUID.randomUUID();
		this.usedQueues.add(queue);
		return queue;
	}

	@Override
	protected final Delivery takeOne(String queue) throws InterruptedException {
		consume(1, queue);
		return this.sink.next().delivery();
	}

	@Test
	void settledDeliveryIsNotDeliveredAgain() throws InterruptedException {
		String queue = newQueue();
		client().enqueue(Task.of(TYPE, "once").queue(queue));
		client().enqueue(Task.of(TYPE, "after").queue(queue));
		consume(1, queue);
		Offered first = this.sink.next();
		first.delivery().complete(null);
		first.settled().complete(null);
		Offered second = this.sink.next();
		assertThat(second.delivery().message().id()).isNotEqualTo(first.delivery().message().id());
		second.delivery().complete(null);
		second.settled().complete(null);
		assertThat(this.sink.poll(Duration.ofMillis(500))).isNull();
	}

	@Test
	void deliveryWhoseStageFailedComesBackWithOneMoreDeliveryCount() throws InterruptedException {
		String queue = newQueue();
		TaskInfo info = client().enqueue(Task.of(TYPE, "again").queue(queue));
		consume(1, queue);
		Offered first = this.sink.next();
		assertThat(first.delivery().deliveryCount()).isEqualTo(1);
		first.settled().completeExceptionally(new IllegalStateException("settlement failed"));
		Offered second = this.sink.next();
		assertThat(second.delivery().message().id()).isEqualTo(info.id());
		assertThat(second.delivery().deliveryCount()).isEqualTo(2);
	}

	@Test
	void handedBackDeliveryComesBackWithoutCounting() throws InterruptedException {
		String queue = newQueue();
		TaskInfo info = client().enqueue(Task.of(TYPE, "back").queue(queue));
		consume(1, queue);
		Offered first = this.sink.next();
		first.delivery().requeue();
		first.settled().complete(null);
		Offered second = this.sink.next();
		assertThat(second.delivery().message().id()).isEqualTo(info.id());
		assertThat(second.delivery().deliveryCount()).isEqualTo(1);
		assertThat(second.delivery().message().retried()).isZero();
	}

	@Test
	void unfinishedDeliveriesNeverExceedThePrefetch() throws InterruptedException {
		String queue = newQueue();
		int prefetch = context(1, queue).prefetch(queue);
		for (int i = 0; i < prefetch + 2; i++) {
			client().enqueue(Task.of(TYPE, i).queue(queue));
		}
		consume(1, queue);
		List<Offered> held = new ArrayList<>();
		for (int i = 0; i < prefetch; i++) {
			held.add(this.sink.next());
		}
		assertThat(this.sink.poll(Duration.ofMillis(500))).isNull();
		held.get(0).delivery().complete(null);
		held.get(0).settled().complete(null);
		assertThat(this.sink.next()).isNotNull();
	}

	@Test
	void retryIsDeliveredAgainNeverBeforeItsTimeAndWithinTheTolerance() throws InterruptedException {
		String queue = newQueue();
		client().enqueue(Task.of(TYPE, "retry").queue(queue));
		consume(1, queue);
		Offered first = this.sink.next();
		Instant due = Instant.now().plus(Duration.ofSeconds(1));
		first.delivery().retry(first.delivery().message().failed("boom", Instant.now()), due);
		first.settled().complete(null);
		Offered second = this.sink.next();
		Instant arrived = Instant.now();
		assertThat(second.delivery().message().retried()).isEqualTo(1);
		assertThat(second.delivery().message().lastError()).isEqualTo("boom");
		assertThat(arrived).isAfterOrEqualTo(due).isBefore(due.plus(delayTolerance()));
	}

	@Test
	void shortDelayEnqueuedAfterALongOneArrivesFirstAndNeitherEarly() throws InterruptedException {
		String queue = newQueue();
		Instant longDue = client().enqueue(Task.of(TYPE, "long").queue(queue).processIn(Duration.ofSeconds(3)))
			.nextProcessAt();
		Instant shortDue = client().enqueue(Task.of(TYPE, "short").queue(queue).processIn(Duration.ofSeconds(1)))
			.nextProcessAt();
		consume(1, queue);
		Offered first = this.sink.next();
		assertThat(Instant.now()).isAfterOrEqualTo(shortDue).isBefore(shortDue.plus(delayTolerance()));
		assertThat(new String(first.delivery().message().payload())).isEqualTo("\"short\"");
		first.delivery().complete(null);
		first.settled().complete(null);
		Offered second = this.sink.next();
		assertThat(Instant.now()).isAfterOrEqualTo(longDue).isBefore(longDue.plus(delayTolerance()));
		assertThat(new String(second.delivery().message().payload())).isEqualTo("\"long\"");
	}

	@Test
	void archivedTaskIsListedWithItsErrorAndRunsAgainWhenRunOrListingIsRefused() throws InterruptedException {
		String queue = newQueue();
		TaskInfo info = client().enqueue(Task.of(TYPE, "dead").queue(queue));
		consume(1, queue);
		Offered first = this.sink.next();
		first.delivery().archive(first.delivery().message().withError("gave up", Instant.now()));
		first.settled().complete(null);
		await().atMost(AWAIT).until(() -> backend().inspector().queue(queue).size(TaskState.ARCHIVED) == 1);
		if (!backend().capabilities().contains(Capability.LIST_ARCHIVED)) {
			assertThatExceptionOfType(UnsupportedOperationByBackendException.class)
				.isThrownBy(() -> CapabilityCheckingTaskInspector.of(backend()).tasks(queue, TaskState.ARCHIVED, 0, 10))
				.withMessageContaining(backend().name());
			return;
		}
		await().atMost(AWAIT)
			.until(() -> backend().inspector().tasks(queue, TaskState.ARCHIVED, 0, 10).size() == 1);
		TaskDetail archived = backend().inspector().tasks(queue, TaskState.ARCHIVED, 0, 10).get(0);
		assertThat(archived.id()).isEqualTo(info.id());
		assertThat(archived.lastError()).isEqualTo("gave up");
		backend().inspector().runTask(queue, archived.handle());
		Offered again = this.sink.next();
		assertThat(again.delivery().message().id()).isEqualTo(info.id());
		assertThat(backend().inspector().tasks(queue, TaskState.ARCHIVED, 0, 10)).isEmpty();
	}

	@Test
	void pausedQueueOffersNothingUntilResumedOrPauseIsRefused() throws InterruptedException {
		String queue = newQueue();
		if (!backend().capabilities().contains(Capability.PAUSE)) {
			assertThatExceptionOfType(UnsupportedOperationByBackendException.class)
				.isThrownBy(() -> CapabilityCheckingTaskInspector.of(backend()).pauseQueue(queue))
				.withMessageContaining(backend().name());
			return;
		}
		TaskInfo info = client().enqueue(Task.of(TYPE, "held").queue(queue));
		backend().inspector().pauseQueue(queue);
		assertThat(backend().inspector().queue(queue).paused()).isTrue();
		consume(1, queue);
		assertThat(this.sink.poll(Duration.ofMillis(500))).isNull();
		backend().inspector().resumeQueue(queue);
		assertThat(backend().inspector().queue(queue).paused()).isFalse();
		Offered resumed = this.sink.next();
		assertThat(resumed.delivery().message().id()).isEqualTo(info.id());
		resumed.delivery().complete(null);
		resumed.settled().complete(null);
		backend().inspector().pauseQueue(queue);
		client().enqueue(Task.of(TYPE, "held again").queue(queue));
		assertThat(this.sink.poll(Duration.ofMillis(500))).isNull();
		backend().inspector().resumeQueue(queue);
		assertThat(this.sink.next().delivery().message().payload()).asString().isEqualTo("\"held again\"");
	}

	@Test
	void deliveriesOfAKilledConsumerCanNoLongerBeSettledAndComeBackCounted() throws InterruptedException {
		String queue = newQueue();
		TaskInfo info = client().enqueue(Task.of(TYPE, "crash").queue(queue));
		consume(1, queue);
		Offered first = this.sink.next();
		killConsumer(this.broker);
		await().atMost(AWAIT).until(() -> !first.delivery().extendLease());
		Offered second = this.sink.next();
		assertThat(second.delivery().message().id()).isEqualTo(info.id());
		assertThat(second.delivery().deliveryCount()).isEqualTo(2);
	}

	@Test
	void afterStopConsumingNothingNewIsOfferedAndOfferedDeliveriesStaySettleable() throws InterruptedException {
		String queue = newQueue();
		client().enqueue(Task.of(TYPE, 1).queue(queue));
		consume(1, queue);
		Offered first = this.sink.next();
		this.broker.stopConsuming();
		client().enqueue(Task.of(TYPE, 2).queue(queue));
		assertThat(this.sink.poll(Duration.ofMillis(500))).isNull();
		first.delivery().complete(null);
		first.settled().complete(null);
		await().atMost(AWAIT).until(() -> backend().inspector().queue(queue).size(TaskState.PENDING) == 1);
	}

	/** Start the broker on the given queues (once per test), with a pool of the given size. */
	private void consume(int concurrency, String... queues) {
		if (!this.started) {
			this.broker.start(context(concurrency, queues), this.sink);
			this.started = true;
		}
	}

	private static BrokerContext context(int concurrency, String... queues) {
		Map<String, Integer> weights = new LinkedHashMap<>();
		for (String queue : queues) {
			weights.put(queue, 1);
		}
		return new BrokerContext("worker-" + UUID.randomUUID(), weights, false, Map.of(), Map.of(), concurrency,
				Duration.ofSeconds(5));
	}

	/** A delivery offered to the test, and the stage the test completes as the runtime would. */
	protected record Offered(Delivery delivery, CompletableFuture<Void> settled) {
	}

	/** Keeps what the broker offers, for the test to take in order. */
	private static final class RecordingSink implements DeliverySink {

		private final BlockingQueue<Offered> offered = new LinkedBlockingQueue<>();

		private final List<Offered> all = new ArrayList<>();

		@Override
		public synchronized CompletionStage<Void> offer(Delivery delivery) {
			Offered offer = new Offered(delivery, new CompletableFuture<>());
			this.all.add(offer);
			this.offered.add(offer);
			return offer.settled();
		}

		Offered next() throws InterruptedException {
			Offered next = poll(AWAIT);
			assertThat(next).as("a delivery offered within %s", AWAIT).isNotNull();
			return next;
		}

		@Nullable Offered poll(Duration wait) throws InterruptedException {
			return this.offered.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		}

		/** Hand back what the test left unsettled, so the broker stops cleanly. */
		synchronized void completeAll() {
			this.all.forEach((offer) -> offer.settled().complete(null));
		}

	}

}
