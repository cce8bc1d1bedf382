package io.worker.spi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.worker.QueueInfo;
import io.worker.TaskConflictException;
import io.worker.TaskDetail;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.testsupport.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The {@link TaskStore} contract, proven the same way on every store: subclass it once per store
 * (as JobRunr's {@code StorageProviderTest}). It includes what every backend must do
 * ({@link TaskBackendContractTests}).
 * <p>
 * Time is the {@link MutableClock} given to {@link #createStore}: the store must read "now" from it
 * (leases, unique locks, retention, heartbeats, daily counters), and the tests move it by hand.
 * Every test uses queues named {@code q-<random>} (see {@link #usedQueues()}), unique keys starting
 * with {@code unique:<its queue>} and worker ids starting with {@code worker-}, so a backend shared
 * between tests (a Redis server) can delete exactly what a test created in {@link #cleanUp()}.
 */
public abstract class TaskStoreContractTests extends TaskBackendContractTests {

	private static final Duration LONG_WAIT = Duration.ofSeconds(30);

	protected final MutableClock clock = MutableClock.atEpochDay();

	private final Set<String> usedQueues = new LinkedHashSet<>();

	private final List<Thread> dequeueThreads = new ArrayList<>();

	protected TaskStore store;

	protected TaskInspector inspector;

	/** A new store reading time from the given clock. */
	protected abstract TaskStore createStore(MutableClock clock);

	/** How long a dequeued task's lease lasts: {@link #createStore} must make its store with it. */
	protected Duration leaseDuration() {
		return Duration.ofSeconds(30);
	}

	/** The most archived tasks the store keeps per queue: {@link #createStore} must use it. */
	protected int archiveMaxSize() {
		return 5;
	}

	/** How long the store keeps archived tasks: {@link #createStore} must use it. */
	protected Duration archiveMaxAge() {
		return Duration.ofDays(7);
	}

	/** Remove what the test stored (its queues are {@link #usedQueues()}) and close the store. */
	protected abstract void cleanUp();

	/**
	 * Whether a thread running {@link TaskStore#dequeue} is blocked waiting for a task. Overridden by
	 * a backend whose waiting threads are not in a {@code WAITING} state (a blocking socket read).
	 */
	protected boolean isWaitingInDequeue(Thread thread) {
		Thread.State state = thread.getState();
		return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
	}

	@Override
	protected final TaskBackend backend() {
		return this.store;
	}

	@Override
	protected final Clock backendClock() {
		return this.clock;
	}

	@Override
	protected final Delivery takeOne(String queue) throws InterruptedException {
		return take(queue);
	}

	/** The queues the current test used. */
	protected final Set<String> usedQueues() {
		return this.usedQueues;
	}

	@BeforeEach
	void createStoreAndInspector() {
		this.store = createStore(this.clock);
		this.inspector = this.store.inspector();
	}

	@AfterEach
	void stopDequeuesAndCleanUp() throws InterruptedException {
		for (Thread thread : this.dequeueThreads) {
			thread.interrupt();
			thread.join(AWAIT.toMillis());
		}
		cleanUp();
	}

	// enqueue

	@Test
	void enqueuedTaskIsPendingAndDueNow() {
		String queue = newQueue();
		TaskMessage message = message(queue);
		TaskInfo info = enqueue(message);
		assertThat(info).isEqualTo(new TaskInfo(message.id(), TYPE, queue, TaskState.PENDING, this.clock.instant()));
		assertThat(detail(queue, message.id()).state()).isEqualTo(TaskState.PENDING);
		assertThat(detail(queue, message.id()).nextProcessAt()).isEqualTo(this.clock.instant());
	}

	@Test
	void taskEnqueuedWithProcessAtIsScheduledAndNotDequeued() throws InterruptedException {
		String queue = newQueue();
		Instant due = this.clock.instant().plus(Duration.ofMinutes(10));
		TaskMessage message = message(queue);
		TaskInfo info = enqueue(message, due);
		assertThat(info).isEqualTo(new TaskInfo(message.id(), TYPE, queue, TaskState.SCHEDULED, due));
		assertThat(detail(queue, message.id()).state()).isEqualTo(TaskState.SCHEDULED);
		assertThat(detail(queue, message.id()).nextProcessAt()).isEqualTo(due);
		assertThat(this.store.dequeue(List.of(queue), Duration.ZERO)).isNull();
	}

	@Test
	void scheduledTaskIsForwardedToPendingOnlyOnceDue() throws InterruptedException {
		String queue = newQueue();
		Instant due = this.clock.instant().plus(Duration.ofMinutes(10));
		TaskMessage message = message(queue);
		enqueue(message, due);
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(this.store.forwardDue(this.clock.instant())).isZero();
		assertThat(this.store.dequeue(List.of(queue), Duration.ZERO)).isNull();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.store.forwardDue(this.clock.instant())).isEqualTo(1);
		assertThat(detail(queue, message.id()).state()).isEqualTo(TaskState.PENDING);
		Delivery delivery = take(queue);
		assertThat(delivery.message().id()).isEqualTo(message.id());
		assertThat(delivery.readyAt()).isEqualTo(due);
	}

	// dequeue

	@Test
	void dequeueTakesTasksOfAQueueInEnqueueOrder() throws InterruptedException {
		String queue = newQueue();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(enqueue(message(queue)).id());
		}
		List<String> taken = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			taken.add(take(queue).message().id());
		}
		assertThat(taken).containsExactlyElementsOf(ids);
		assertThat(this.store.dequeue(List.of(queue), Duration.ZERO)).isNull();
	}

	@Test
	void dequeueTakesFromTheFirstQueueOfTheListThatHasATask() throws InterruptedException {
		String high = newQueue();
		String low = newQueue();
		String lowTask = enqueue(message(low)).id();
		String highTask = enqueue(message(high)).id();
		String secondHighTask = enqueue(message(high)).id();
		List<String> preference = List.of(newQueue(), high, low);
		assertThat(this.store.dequeue(preference, Duration.ZERO).message().id()).isEqualTo(highTask);
		assertThat(this.store.dequeue(preference, Duration.ZERO).message().id()).isEqualTo(secondHighTask);
		assertThat(this.store.dequeue(preference, Duration.ZERO).message().id()).isEqualTo(lowTask);
		assertThat(this.store.dequeue(preference, Duration.ZERO)).isNull();
	}

	@Test
	void dequeueFollowsThePreferenceOrderOfEachCall() throws InterruptedException {
		String first = newQueue();
		String second = newQueue();
		String firstTask = enqueue(message(first)).id();
		String secondTask = enqueue(message(second)).id();
		assertThat(this.store.dequeue(List.of(second, first), Duration.ZERO).message().id()).isEqualTo(secondTask);
		assertThat(this.store.dequeue(List.of(second, first), Duration.ZERO).message().id()).isEqualTo(firstTask);
	}

	@Test
	void batchDequeueTakesUpToItsMaximumInQueueOrderThenFromTheNextQueue() throws InterruptedException {
		String high = newQueue();
		String paused = newQueue();
		String low = newQueue();
		List<String> highIds = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			highIds.add(enqueue(message(high)).id());
		}
		enqueue(message(paused));
		this.inspector.pauseQueue(paused);
		List<String> lowIds = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			lowIds.add(enqueue(message(low)).id());
		}
		List<String> preference = List.of(high, paused, low);
		List<Delivery> first = this.store.dequeue(preference, 4, Duration.ZERO);
		assertThat(first).extracting((delivery) -> delivery.message().id())
			.containsExactly(highIds.get(0), highIds.get(1), highIds.get(2), lowIds.get(0));
		assertThat(this.inspector.queue(high).size(TaskState.ACTIVE)).isEqualTo(3);
		assertThat(this.inspector.queue(low).size(TaskState.ACTIVE)).isEqualTo(1);
		List<Delivery> rest = this.store.dequeue(preference, 10, Duration.ZERO);
		assertThat(rest).extracting((delivery) -> delivery.message().id())
			.containsExactly(lowIds.get(1), lowIds.get(2));
		assertThat(this.store.dequeue(preference, 10, Duration.ZERO)).isEmpty();
		assertThat(this.inspector.queue(paused).size(TaskState.PENDING)).isEqualTo(1);
		for (Delivery delivery : first) {
			delivery.complete(null);
		}
		assertThat(this.inspector.queue(high).size(TaskState.ACTIVE)).isZero();
	}

	@Test
	void dequeuedTaskIsActiveAndDeliveredWithEveryFieldAsStored() throws InterruptedException {
		String queue = newQueue();
		TaskMessage message = message(queue, "id-" + UUID.randomUUID(), "unique:" + queue, Duration.ofHours(1),
				Duration.ofDays(1));
		enqueue(message);
		Delivery delivery = take(queue);
		assertThat(delivery.message()).usingRecursiveComparison().isEqualTo(message);
		assertThat(delivery.readyAt()).isEqualTo(this.clock.instant());
		TaskDetail detail = detail(queue, message.id());
		assertThat(detail.state()).isEqualTo(TaskState.ACTIVE);
		assertThat(detail.key()).isEqualTo(message.key());
		assertThat(detail.nextProcessAt()).isNull();
		assertThat(this.inspector.queue(queue).size(TaskState.ACTIVE)).isEqualTo(1);
		assertThat(this.inspector.queue(queue).size(TaskState.PENDING)).isZero();
	}

	@Test
	void dequeueBlockedOnAnEmptyQueueIsWokenByAnEnqueue() {
		String queue = newQueue();
		CompletableFuture<@Nullable Delivery> dequeued = startBlockedDequeue(List.of(queue));
		String id = enqueue(message(queue)).id();
		await().atMost(AWAIT).until(dequeued::isDone);
		assertThat(dequeued.join()).isNotNull().extracting((delivery) -> delivery.message().id()).isEqualTo(id);
	}

	@Test
	void everyDequeueBlockedOnItsOwnQueueIsWokenByAnEnqueueToThatQueue() {
		String first = newQueue();
		String second = newQueue();
		CompletableFuture<@Nullable Delivery> onFirst = startBlockedDequeue(List.of(first));
		CompletableFuture<@Nullable Delivery> onSecond = startBlockedDequeue(List.of(second));
		String secondTask = enqueue(message(second)).id();
		await().atMost(AWAIT).until(onSecond::isDone);
		assertThat(onSecond.join()).isNotNull()
			.extracting((delivery) -> delivery.message().id())
			.isEqualTo(secondTask);
		assertThat(onFirst).isNotDone();
		String firstTask = enqueue(message(first)).id();
		await().atMost(AWAIT).until(onFirst::isDone);
		assertThat(onFirst.join()).isNotNull().extracting((delivery) -> delivery.message().id()).isEqualTo(firstTask);
	}

	// settling

	@Test
	void completeWithoutRetentionDeletesTheTaskAndCountsItProcessed() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		take(queue).complete(null);
		assertThat(this.inspector.task(queue, id)).isEmpty();
		QueueInfo info = this.inspector.queue(queue);
		assertThat(info.size(TaskState.ACTIVE)).isZero();
		assertThat(info.size(TaskState.COMPLETED)).isZero();
		assertThat(info.processedToday()).isEqualTo(1);
		assertThat(info.failedToday()).isZero();
	}

	@Test
	void completeWithRetentionKeepsTheTaskCompletedWithItsResultUntilTheRetentionPasses()
			throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue, newId(), null, null, Duration.ofHours(1))).id();
		Delivery delivery = take(queue);
		this.clock.advance(Duration.ofSeconds(5));
		Instant completedAt = this.clock.instant();
		delivery.complete(json("{\"sum\":5}"));
		TaskDetail detail = detail(queue, id);
		assertThat(detail.state()).isEqualTo(TaskState.COMPLETED);
		assertThat(detail.result()).isEqualTo("{\"sum\":5}");
		assertThat(detail.completedAt()).isEqualTo(completedAt);
		assertThat(detail.nextProcessAt()).isNull();
		assertThat(this.inspector.queue(queue).size(TaskState.COMPLETED)).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(59));
		assertThat(this.store.deleteExpired(this.clock.instant())).isZero();
		assertThat(this.inspector.task(queue, id)).isPresent();
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.store.deleteExpired(this.clock.instant())).isEqualTo(1);
		assertThat(this.inspector.task(queue, id)).isEmpty();
	}

	@Test
	void retryKeepsTheFailedTaskWaitingUntilItsRetryTime() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		Delivery delivery = take(queue);
		Instant retryAt = this.clock.instant().plus(Duration.ofMinutes(1));
		retry(delivery, retryAt);
		TaskDetail detail = detail(queue, id);
		assertThat(detail.state()).isEqualTo(TaskState.RETRY);
		assertThat(detail.retried()).isEqualTo(1);
		assertThat(detail.lastError()).isEqualTo("boom");
		assertThat(detail.lastFailedAt()).isEqualTo(this.clock.instant());
		assertThat(detail.nextProcessAt()).isEqualTo(retryAt);
		assertThat(this.store.forwardDue(this.clock.instant())).isZero();
		assertThat(this.store.dequeue(List.of(queue), Duration.ZERO)).isNull();
		this.clock.set(retryAt);
		assertThat(this.store.forwardDue(retryAt)).isEqualTo(1);
		TaskMessage retried = take(queue).message();
		assertThat(retried.id()).isEqualTo(id);
		assertThat(retried.retried()).isEqualTo(1);
		assertThat(retried.lastError()).isEqualTo("boom");
	}

	@Test
	void archiveKeepsTheTaskArchivedWithItsError() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		Delivery delivery = take(queue);
		delivery.archive(delivery.message().withError("bad payload", this.clock.instant()));
		TaskDetail detail = detail(queue, id);
		assertThat(detail.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(detail.lastError()).isEqualTo("bad payload");
		assertThat(detail.retried()).isZero();
		assertThat(detail.nextProcessAt()).isNull();
		this.clock.advance(Duration.ofDays(365));
		assertThat(this.store.forwardDue(this.clock.instant())).isZero();
		assertThat(this.store.dequeue(List.of(queue), Duration.ZERO)).isNull();
	}

	@Test
	void requeuePutsTheTaskBackAtTheHeadOfItsQueueWithoutCountingARetry() throws InterruptedException {
		String queue = newQueue();
		String first = enqueue(message(queue)).id();
		enqueue(message(queue));
		take(queue).requeue();
		TaskDetail detail = detail(queue, first);
		assertThat(detail.state()).isEqualTo(TaskState.PENDING);
		assertThat(detail.retried()).isZero();
		assertThat(this.inspector.queue(queue).processedToday()).isZero();
		TaskMessage again = take(queue).message();
		assertThat(again.id()).isEqualTo(first);
		assertThat(again.retried()).isZero();
	}

	@Test
	void dailyCountersCountCompletedRetriedAndArchivedAttemptsOfTheDay() throws InterruptedException {
		String queue = newQueue();
		for (int i = 0; i < 3; i++) {
			enqueue(message(queue));
		}
		take(queue).complete(null);
		Delivery retried = take(queue);
		retry(retried, this.clock.instant().plusSeconds(60));
		Delivery archived = take(queue);
		archive(archived);
		QueueInfo today = this.inspector.queue(queue);
		assertThat(today.processedToday()).isEqualTo(3);
		assertThat(today.failedToday()).isEqualTo(2);
		this.clock.advance(Duration.ofDays(1));
		QueueInfo tomorrow = this.inspector.queue(queue);
		assertThat(tomorrow.processedToday()).isZero();
		assertThat(tomorrow.failedToday()).isZero();
	}

	// unique tasks and ids

	@Test
	void secondTaskWithTheSameUniqueKeyIsRefused() {
		String queue = newQueue();
		String key = "unique:" + queue;
		enqueue(uniqueMessage(queue, key));
		TaskMessage duplicate = uniqueMessage(queue, key);
		assertThat(enqueueRefused(duplicate)).isInstanceOf(TaskConflictException.class);
		assertThat(this.inspector.task(queue, duplicate.id())).isEmpty();
		assertThat(this.inspector.queue(queue).size(TaskState.PENDING)).isEqualTo(1);
	}

	@Test
	void uniqueLockIsReleasedWhenTheTaskCompletes() throws InterruptedException {
		String queue = newQueue();
		String key = "unique:" + queue;
		enqueue(uniqueMessage(queue, key));
		take(queue).complete(null);
		enqueue(uniqueMessage(queue, key));
	}

	@Test
	void uniqueLockIsReleasedWhenTheTaskIsDeleted() {
		String queue = newQueue();
		String key = "unique:" + queue;
		String id = enqueue(uniqueMessage(queue, key)).id();
		this.inspector.deleteTask(queue, id);
		enqueue(uniqueMessage(queue, key));
	}

	@Test
	void uniqueLockIsReleasedWhenItsTtlPasses() {
		String queue = newQueue();
		String key = "unique:" + queue;
		enqueue(uniqueMessage(queue, key));
		this.clock.advance(Duration.ofMinutes(59));
		this.store.deleteExpired(this.clock.instant());
		assertThat(enqueueRefused(uniqueMessage(queue, key))).isInstanceOf(TaskConflictException.class);
		this.clock.advance(Duration.ofMinutes(2));
		this.store.deleteExpired(this.clock.instant());
		enqueue(uniqueMessage(queue, key));
		assertThat(this.inspector.queue(queue).size(TaskState.PENDING)).isEqualTo(2);
	}

	@Test
	void uniqueLockIsHeldWhileTheTaskWaitsForARetry() throws InterruptedException {
		String queue = newQueue();
		String key = "unique:" + queue;
		enqueue(uniqueMessage(queue, key));
		Delivery delivery = take(queue);
		retry(delivery, this.clock.instant().plusSeconds(60));
		assertThat(enqueueRefused(uniqueMessage(queue, key))).isInstanceOf(TaskConflictException.class);
	}

	@Test
	void uniqueLockIsHeldWhileTheTaskIsArchived() throws InterruptedException {
		String queue = newQueue();
		String key = "unique:" + queue;
		enqueue(uniqueMessage(queue, key));
		Delivery delivery = take(queue);
		archive(delivery);
		assertThat(enqueueRefused(uniqueMessage(queue, key))).isInstanceOf(TaskConflictException.class);
	}

	@Test
	void completingATaskDoesNotReleaseAUniqueLockTakenByAnotherTaskAfterItsOwnExpired()
			throws InterruptedException {
		String queue = newQueue();
		String key = "unique:" + queue;
		Duration ttl = leaseDuration().dividedBy(2);
		String first = enqueue(message(queue, newId(), key, ttl, null)).id();
		Delivery delivery = take(queue);
		this.clock.advance(leaseDuration().multipliedBy(3).dividedBy(4));
		this.store.deleteExpired(this.clock.instant());
		enqueue(message(queue, newId(), key, ttl, null));
		delivery.complete(null);
		assertThat(this.inspector.task(queue, first)).isEmpty();
		assertThat(enqueueRefused(message(queue, newId(), key, ttl, null))).isInstanceOf(TaskConflictException.class);
	}

	@Test
	void explicitIdAlreadyInTheQueueIsRefused() {
		String queue = newQueue();
		String id = newId();
		enqueue(message(queue, id));
		TaskMessage duplicate = TaskMessage.builder(id, "test:other", queue)
			.payload(json("{\"n\":2}"))
			.enqueuedAt(this.clock.instant())
			.build();
		assertThat(enqueueRefused(duplicate)).isInstanceOf(TaskConflictException.class);
		TaskDetail kept = detail(queue, id);
		assertThat(kept.type()).isEqualTo(TYPE);
		assertThat(kept.payload()).isEqualTo("{\"n\":1}");
	}

	@Test
	void explicitIdOfACompletedTaskStillKeptIsRefused() throws InterruptedException {
		String queue = newQueue();
		String id = newId();
		enqueue(message(queue, id, null, null, Duration.ofHours(1)));
		take(queue).complete(null);
		assertThat(enqueueRefused(message(queue, id))).isInstanceOf(TaskConflictException.class);
	}

	@Test
	void sameExplicitIdInAnotherQueueIsStored() {
		String queue = newQueue();
		String other = newQueue();
		String id = newId();
		enqueue(message(queue, id));
		TaskInfo info = enqueue(message(other, id));
		assertThat(info.queue()).isEqualTo(other);
		assertThat(detail(queue, id).queue()).isEqualTo(queue);
		assertThat(detail(other, id).queue()).isEqualTo(other);
	}

	@Test
	void batchEnqueueReturnsOneResultPerTaskInOrderAndRefusesOnlyTheConflictingOne() {
		String queue = newQueue();
		String existing = enqueue(message(queue)).id();
		List<EnqueueRequest> requests = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			TaskMessage message = (i == 42) ? message(queue, existing) : message(queue);
			requests.add(new EnqueueRequest(message, null));
		}
		List<EnqueueResult> results = this.store.enqueue(requests);
		assertThat(results).hasSize(100);
		for (int i = 0; i < 100; i++) {
			EnqueueResult result = results.get(i);
			if (i == 42) {
				assertThat(result.info()).isNull();
				assertThat(result.failure()).isInstanceOf(TaskConflictException.class);
			}
			else {
				assertThat(result.failure()).isNull();
				assertThat(result.info()).isEqualTo(new TaskInfo(requests.get(i).message().id(), TYPE, queue,
						TaskState.PENDING, this.clock.instant()));
			}
		}
		assertThat(this.inspector.queue(queue).size(TaskState.PENDING)).isEqualTo(100);
		List<String> storedIds = new ArrayList<>(List.of(existing));
		requests.stream()
			.map((request) -> request.message().id())
			.filter((id) -> !id.equals(existing))
			.forEach(storedIds::add);
		assertThat(this.inspector.tasks(queue, TaskState.PENDING, 0, 200)).extracting(TaskDetail::id)
			.containsExactlyElementsOf(storedIds);
	}

	@Test
	void batchEnqueueRefusesALaterTaskOfTheBatchWithTheUniqueKeyOfAnEarlierOne() {
		String queue = newQueue();
		String key = "unique:" + queue;
		List<EnqueueRequest> requests = List.of(new EnqueueRequest(message(queue), null),
				new EnqueueRequest(uniqueMessage(queue, key), null), new EnqueueRequest(message(queue), null),
				new EnqueueRequest(uniqueMessage(queue, key), null));
		List<EnqueueResult> results = this.store.enqueue(requests);
		assertThat(results).extracting(EnqueueResult::failure)
			.satisfiesExactly((failure) -> assertThat(failure).isNull(), (failure) -> assertThat(failure).isNull(),
					(failure) -> assertThat(failure).isNull(),
					(failure) -> assertThat(failure).isInstanceOf(TaskConflictException.class));
		assertThat(this.inspector.queue(queue).size(TaskState.PENDING)).isEqualTo(3);
	}

	// leases

	@Test
	void extendLeaseKeepsAnActiveTaskFromBeingRecovered() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		Delivery delivery = take(queue);
		Duration mostOfTheLease = leaseDuration().multipliedBy(3).dividedBy(4);
		this.clock.advance(mostOfTheLease);
		assertThat(delivery.extendLease()).isTrue();
		this.clock.advance(mostOfTheLease);
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isZero();
		assertThat(delivery.extendLease()).isTrue();
		assertThat(detail(queue, id).state()).isEqualTo(TaskState.ACTIVE);
	}

	@Test
	void activeTaskIsNotRecoveredBeforeItsLeaseExpires() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		take(queue);
		this.clock.advance(leaseDuration().minusSeconds(1));
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isZero();
		assertThat(detail(queue, id).state()).isEqualTo(TaskState.ACTIVE);
	}

	@Test
	void taskWhoseLeaseExpiredIsRecoveredToRetryWithOneMoreRetry() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		take(queue);
		this.clock.advance(leaseDuration().plusSeconds(1));
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isEqualTo(1);
		TaskDetail detail = detail(queue, id);
		assertThat(detail.state()).isEqualTo(TaskState.RETRY);
		assertThat(detail.retried()).isEqualTo(1);
		assertThat(detail.lastError()).containsIgnoringCase("lease");
		assertThat(detail.nextProcessAt()).isNotNull();
		assertThat(this.store.forwardDue(detail.nextProcessAt())).isEqualTo(1);
		TaskMessage again = take(queue).message();
		assertThat(again.id()).isEqualTo(id);
		assertThat(again.retried()).isEqualTo(1);
	}

	@Test
	void deliveryWhoseLeaseExpiredCanNeitherExtendNorSettleTheTask() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		Delivery stale = take(queue);
		this.clock.advance(leaseDuration().plusSeconds(1));
		this.store.recoverExpiredLeases(this.clock.instant());
		long processed = this.inspector.queue(queue).processedToday();
		assertThat(stale.extendLease()).isFalse();
		stale.complete(null);
		assertThat(this.inspector.task(queue, id)).get().extracting(TaskDetail::state).isEqualTo(TaskState.RETRY);
		stale.archive(stale.message().withError("late", this.clock.instant()));
		TaskDetail detail = detail(queue, id);
		assertThat(detail.state()).isEqualTo(TaskState.RETRY);
		assertThat(detail.lastError()).containsIgnoringCase("lease");
		assertThat(this.inspector.queue(queue).processedToday()).isEqualTo(processed);
	}

	@Test
	void deliveryWhoseLeaseExpiredCannotSettleTheTaskOnceItIsDeliveredAgain() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		Delivery stale = take(queue);
		this.clock.advance(leaseDuration().plusSeconds(1));
		this.store.recoverExpiredLeases(this.clock.instant());
		this.store.forwardDue(detail(queue, id).nextProcessAt());
		Delivery current = take(queue);
		stale.complete(null);
		stale.requeue();
		assertThat(detail(queue, id).state()).isEqualTo(TaskState.ACTIVE);
		assertThat(current.extendLease()).isTrue();
		current.complete(null);
		assertThat(this.inspector.task(queue, id)).isEmpty();
	}

	// archive caps

	@Test
	void deleteExpiredTrimsTheArchiveToItsSizeDroppingTheLongestArchivedFirst() throws InterruptedException {
		String queue = newQueue();
		int count = archiveMaxSize() + 2;
		List<Delivery> deliveries = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			enqueue(message(queue));
			deliveries.add(take(queue));
		}
		// archived in the reverse of their enqueue order, so that age in the archive and age differ
		List<String> archiveOrder = new ArrayList<>();
		for (int i = count - 1; i >= 0; i--) {
			this.clock.advance(Duration.ofSeconds(1));
			Delivery delivery = deliveries.get(i);
			archive(delivery);
			archiveOrder.add(delivery.message().id());
		}
		assertThat(this.store.deleteExpired(this.clock.instant())).isEqualTo(2);
		assertThat(this.inspector.queue(queue).size(TaskState.ARCHIVED)).isEqualTo(archiveMaxSize());
		assertThat(this.inspector.task(queue, archiveOrder.get(0))).isEmpty();
		assertThat(this.inspector.task(queue, archiveOrder.get(1))).isEmpty();
		for (String kept : archiveOrder.subList(2, count)) {
			assertThat(this.inspector.task(queue, kept)).isPresent();
		}
	}

	@Test
	void deleteExpiredRemovesArchivedTasksOlderThanTheArchiveMaxAge() throws InterruptedException {
		String queue = newQueue();
		String old = enqueue(message(queue)).id();
		String recent = enqueue(message(queue)).id();
		Delivery first = take(queue);
		archive(first);
		this.clock.advance(archiveMaxAge().minusSeconds(10));
		Delivery second = take(queue);
		archive(second);
		assertThat(this.store.deleteExpired(this.clock.instant())).isZero();
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(this.store.deleteExpired(this.clock.instant())).isEqualTo(1);
		assertThat(this.inspector.task(queue, old)).isEmpty();
		assertThat(this.inspector.task(queue, recent)).isPresent();
	}

	// pause

	@Test
	void pausedQueueIsNotDequeuedUntilResumed() throws InterruptedException {
		String paused = newQueue();
		String other = newQueue();
		this.inspector.pauseQueue(paused);
		String pausedTask = enqueue(message(paused)).id();
		String otherTask = enqueue(message(other)).id();
		assertThat(this.inspector.queue(paused).paused()).isTrue();
		assertThat(this.store.dequeue(List.of(paused, other), Duration.ZERO).message().id()).isEqualTo(otherTask);
		assertThat(this.store.dequeue(List.of(paused, other), Duration.ZERO)).isNull();
		assertThat(detail(paused, pausedTask).state()).isEqualTo(TaskState.PENDING);
		this.inspector.resumeQueue(paused);
		assertThat(this.inspector.queue(paused).paused()).isFalse();
		assertThat(this.store.dequeue(List.of(paused, other), Duration.ZERO).message().id()).isEqualTo(pausedTask);
	}

	// inspector

	@Test
	void queueReportsItsSizeInEveryState() throws InterruptedException {
		String queue = newQueue();
		enqueue(message(queue));
		take(queue);
		enqueue(message(queue));
		Delivery retried = take(queue);
		retry(retried, this.clock.instant().plusSeconds(60));
		enqueue(message(queue));
		Delivery archived = take(queue);
		archive(archived);
		enqueue(message(queue, newId(), null, null, Duration.ofHours(1)));
		take(queue).complete(null);
		enqueue(message(queue));
		enqueue(message(queue));
		enqueue(message(queue), this.clock.instant().plusSeconds(60));
		QueueInfo info = this.inspector.queue(queue);
		assertThat(info.name()).isEqualTo(queue);
		assertThat(info.paused()).isFalse();
		assertThat(info.sizes()).containsOnlyKeys(TaskState.PENDING, TaskState.SCHEDULED, TaskState.ACTIVE,
				TaskState.RETRY, TaskState.ARCHIVED, TaskState.COMPLETED);
		assertThat(info.sizes()).containsEntry(TaskState.PENDING, 2L)
			.containsEntry(TaskState.SCHEDULED, 1L)
			.containsEntry(TaskState.ACTIVE, 1L)
			.containsEntry(TaskState.RETRY, 1L)
			.containsEntry(TaskState.ARCHIVED, 1L)
			.containsEntry(TaskState.COMPLETED, 1L);
	}

	@Test
	void queueNeverUsedReportsZeros() {
		QueueInfo info = this.inspector.queue(newQueue());
		assertThat(info.paused()).isFalse();
		assertThat(info.sizes()).containsOnlyKeys(TaskState.PENDING, TaskState.SCHEDULED, TaskState.ACTIVE,
				TaskState.RETRY, TaskState.ARCHIVED, TaskState.COMPLETED);
		assertThat(info.sizes().values()).containsOnly(0L);
		assertThat(info.processedToday()).isZero();
		assertThat(info.failedToday()).isZero();
	}

	@Test
	void queuesListsEveryQueueWithItsSizes() {
		String first = newQueue();
		String second = newQueue();
		enqueue(message(first));
		enqueue(message(first));
		enqueue(message(second), this.clock.instant().plusSeconds(60));
		List<QueueInfo> ours = this.inspector.queues()
			.stream()
			.filter((info) -> this.usedQueues.contains(info.name()))
			.toList();
		assertThat(ours).extracting(QueueInfo::name).containsExactlyInAnyOrder(first, second);
		QueueInfo firstInfo = ours.stream().filter((info) -> info.name().equals(first)).findFirst().orElseThrow();
		QueueInfo secondInfo = ours.stream().filter((info) -> info.name().equals(second)).findFirst().orElseThrow();
		assertThat(firstInfo.size(TaskState.PENDING)).isEqualTo(2);
		assertThat(secondInfo.size(TaskState.SCHEDULED)).isEqualTo(1);
		assertThat(secondInfo.size(TaskState.PENDING)).isZero();
	}

	@Test
	void tasksPagesPendingTasksOldestFirst() {
		String queue = newQueue();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			ids.add(enqueue(message(queue)).id());
			this.clock.advance(Duration.ofMillis(1));
		}
		assertThat(this.inspector.tasks(queue, TaskState.PENDING, 0, 10)).extracting(TaskDetail::id)
			.containsExactlyElementsOf(ids.subList(0, 10));
		assertThat(this.inspector.tasks(queue, TaskState.PENDING, 1, 10)).extracting(TaskDetail::id)
			.containsExactlyElementsOf(ids.subList(10, 20));
		assertThat(this.inspector.tasks(queue, TaskState.PENDING, 2, 10)).extracting(TaskDetail::id)
			.containsExactlyElementsOf(ids.subList(20, 25));
		assertThat(this.inspector.tasks(queue, TaskState.PENDING, 3, 10)).isEmpty();
		assertThat(this.inspector.tasks(queue, TaskState.SCHEDULED, 0, 10)).isEmpty();
	}

	@Test
	void tasksListsScheduledTasksDueFirstAndArchivedTasksNewestFirst() throws InterruptedException {
		String queue = newQueue();
		String later = enqueue(message(queue), this.clock.instant().plusSeconds(120)).id();
		String sooner = enqueue(message(queue), this.clock.instant().plusSeconds(60)).id();
		assertThat(this.inspector.tasks(queue, TaskState.SCHEDULED, 0, 10)).extracting(TaskDetail::id)
			.containsExactly(sooner, later);
		String archivedFirst = enqueue(message(queue)).id();
		String archivedSecond = enqueue(message(queue)).id();
		Delivery first = take(queue);
		Delivery second = take(queue);
		archive(first);
		this.clock.advance(Duration.ofSeconds(1));
		archive(second);
		assertThat(this.inspector.tasks(queue, TaskState.ARCHIVED, 0, 10)).extracting(TaskDetail::id)
			.containsExactly(archivedSecond, archivedFirst);
	}

	@Test
	void taskDetailHasThePayloadHeadersFailuresAndProgressOfTheTask() throws InterruptedException {
		String queue = newQueue();
		TaskMessage message = message(queue);
		enqueue(message);
		Delivery delivery = take(queue);
		this.clock.advance(Duration.ofSeconds(3));
		retry(delivery, this.clock.instant());
		this.store.forwardDue(this.clock.instant());
		Delivery second = take(queue);
		second.reportProgress(40, "halfway");
		TaskDetail detail = detail(queue, message.id());
		assertThat(detail.id()).isEqualTo(message.id());
		assertThat(detail.type()).isEqualTo(TYPE);
		assertThat(detail.queue()).isEqualTo(queue);
		assertThat(detail.state()).isEqualTo(TaskState.ACTIVE);
		assertThat(detail.payload()).isEqualTo("{\"n\":1}");
		assertThat(detail.headers()).isEqualTo(Map.of("tenant", "acme", "traceparent", "00-abc-01"));
		assertThat(detail.retried()).isEqualTo(1);
		assertThat(detail.maxRetries()).isEqualTo(3);
		assertThat(detail.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(detail.deadline()).isEqualTo(message.deadline());
		assertThat(detail.enqueuedAt()).isEqualTo(message.enqueuedAt());
		assertThat(detail.lastError()).isEqualTo("boom");
		assertThat(detail.lastFailedAt()).isEqualTo(this.clock.instant());
		assertThat(detail.progress()).isEqualTo(40);
		assertThat(detail.progressMessage()).isEqualTo("halfway");
		assertThat(detail.result()).isNull();
		assertThat(detail.completedAt()).isNull();
	}

	@Test
	void taskOfAnotherQueueOrUnknownIdIsEmpty() {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		assertThat(this.inspector.task(newQueue(), id)).isEmpty();
		assertThat(this.inspector.task(queue, newId())).isEmpty();
	}

	@Test
	void runTaskMakesScheduledRetryAndArchivedTasksPendingNow() throws InterruptedException {
		String queue = newQueue();
		String scheduled = enqueue(message(queue), this.clock.instant().plus(Duration.ofDays(1))).id();
		String retry = enqueue(message(queue)).id();
		Delivery retried = take(queue);
		retry(retried, this.clock.instant().plusSeconds(600));
		String archived = enqueue(message(queue)).id();
		Delivery failed = take(queue);
		archive(failed);
		for (String id : List.of(scheduled, retry, archived)) {
			this.inspector.runTask(queue, id);
			TaskDetail detail = detail(queue, id);
			assertThat(detail.state()).isEqualTo(TaskState.PENDING);
			assertThat(detail.nextProcessAt()).isEqualTo(this.clock.instant());
		}
		assertThat(take(queue).message().id()).isEqualTo(scheduled);
		assertThat(take(queue).message().id()).isEqualTo(retry);
		assertThat(take(queue).message().id()).isEqualTo(archived);
	}

	@Test
	void anArchivedTaskRunAgainIsKeptOnceCompletedForItsRetention() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue, newId(), null, null, Duration.ofHours(1))).id();
		archive(take(queue));
		this.inspector.runTask(queue, id);
		take(queue).complete(json("{\"ok\":true}"));
		TaskDetail detail = detail(queue, id);
		assertThat(detail.state()).isEqualTo(TaskState.COMPLETED);
		assertThat(detail.result()).isEqualTo("{\"ok\":true}");
	}

	@Test
	void runTaskRefusesPendingAndActiveTasks() throws InterruptedException {
		String queue = newQueue();
		String active = enqueue(message(queue)).id();
		take(queue);
		String pending = enqueue(message(queue)).id();
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.runTask(queue, pending));
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.runTask(queue, active));
		assertThat(detail(queue, active).state()).isEqualTo(TaskState.ACTIVE);
	}

	@Test
	void archiveTaskArchivesPendingScheduledAndRetryTasks() throws InterruptedException {
		String queue = newQueue();
		String retry = enqueue(message(queue)).id();
		Delivery retried = take(queue);
		retry(retried, this.clock.instant().plusSeconds(60));
		String pending = enqueue(message(queue)).id();
		String scheduled = enqueue(message(queue), this.clock.instant().plusSeconds(60)).id();
		for (String id : List.of(pending, scheduled, retry)) {
			this.inspector.archiveTask(queue, id);
			assertThat(detail(queue, id).state()).isEqualTo(TaskState.ARCHIVED);
		}
		assertThat(this.inspector.queue(queue).size(TaskState.ARCHIVED)).isEqualTo(3);
		assertThat(this.inspector.queue(queue).backlog()).isZero();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.store.forwardDue(this.clock.instant())).isZero();
		assertThat(this.store.dequeue(List.of(queue), Duration.ZERO)).isNull();
	}

	@Test
	void archiveTaskRefusesActiveAndArchivedTasks() throws InterruptedException {
		String queue = newQueue();
		String active = enqueue(message(queue)).id();
		take(queue);
		String archived = enqueue(message(queue)).id();
		this.inspector.archiveTask(queue, archived);
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.archiveTask(queue, active));
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.archiveTask(queue, archived));
		assertThat(detail(queue, active).state()).isEqualTo(TaskState.ACTIVE);
	}

	@Test
	void deleteTaskRemovesAWaitingTaskForGood() throws InterruptedException {
		String queue = newQueue();
		String pending = enqueue(message(queue)).id();
		String scheduled = enqueue(message(queue), this.clock.instant().plusSeconds(60)).id();
		this.inspector.deleteTask(queue, pending);
		this.inspector.deleteTask(queue, scheduled);
		assertThat(this.inspector.task(queue, pending)).isEmpty();
		assertThat(this.inspector.task(queue, scheduled)).isEmpty();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.store.forwardDue(this.clock.instant())).isZero();
		assertThat(this.store.dequeue(List.of(queue), Duration.ZERO)).isNull();
		assertThat(this.inspector.queue(queue).backlog()).isZero();
	}

	@Test
	void deleteTaskRefusesAnActiveTask() throws InterruptedException {
		String queue = newQueue();
		String id = enqueue(message(queue)).id();
		take(queue);
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.deleteTask(queue, id));
		assertThat(detail(queue, id).state()).isEqualTo(TaskState.ACTIVE);
	}

	@Test
	void actingOnAnUnknownTaskThrowsTaskNotFound() {
		String queue = newQueue();
		enqueue(message(queue));
		String unknown = newId();
		assertThatExceptionOfType(TaskNotFoundException.class)
			.isThrownBy(() -> this.inspector.deleteTask(queue, unknown));
		assertThatExceptionOfType(TaskNotFoundException.class).isThrownBy(() -> this.inspector.runTask(queue, unknown));
		assertThatExceptionOfType(TaskNotFoundException.class)
			.isThrownBy(() -> this.inspector.archiveTask(queue, unknown));
		assertThatExceptionOfType(TaskNotFoundException.class)
			.isThrownBy(() -> this.inspector.deleteTask(newQueue(), unknown));
	}

	// workers

	@Test
	void heartbeatRegistersAWorkerUntilItUnregisters() {
		WorkerInfo worker = worker();
		this.store.workerRegistry().heartbeat(worker, Duration.ofMinutes(1));
		assertThat(ourWorkers(worker.id())).containsExactly(worker);
		this.store.workerRegistry().unregister(worker.id());
		assertThat(ourWorkers(worker.id())).isEmpty();
	}

	@Test
	void workerIsNoLongerListedOnceItsHeartbeatTtlPasses() {
		WorkerInfo worker = worker();
		this.store.workerRegistry().heartbeat(worker, Duration.ofMinutes(1));
		this.clock.advance(Duration.ofSeconds(50));
		WorkerInfo refreshed = new WorkerInfo(worker.id(), worker.host(), worker.pid(), worker.concurrency(),
				worker.queues(), worker.strictPriority(), worker.startedAt(), 3, this.clock.instant());
		this.store.workerRegistry().heartbeat(refreshed, Duration.ofMinutes(1));
		this.clock.advance(Duration.ofSeconds(50));
		assertThat(ourWorkers(worker.id())).containsExactly(refreshed);
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(ourWorkers(worker.id())).isEmpty();
	}

	// helpers

	@Override
	protected final String newQueue() {
		String queue = "q-" + UUID.randomUUID();
		this.usedQueues.add(queue);
		return queue;
	}

	private static String newId() {
		return "id-" + UUID.randomUUID();
	}

	private TaskMessage message(String queue) {
		return message(queue, newId());
	}

	private TaskMessage message(String queue, String id) {
		return message(queue, id, null, null, null);
	}

	private TaskMessage uniqueMessage(String queue, String uniqueKey) {
		return message(queue, newId(), uniqueKey, Duration.ofHours(1), null);
	}

	/**
	 * A task of type {@value #TYPE} with payload {@code {"n":1}}, two headers, an ordering key and
	 * every option set but those given.
	 */
	private TaskMessage message(String queue, String id, @Nullable String uniqueKey, @Nullable Duration uniqueTtl,
			@Nullable Duration retention) {
		Instant now = this.clock.instant();
		return TaskMessage.builder(id, TYPE, queue)
			.payload(json("{\"n\":1}"))
			.headers(Map.of("tenant", "acme", "traceparent", "00-abc-01"))
			.maxRetries(3)
			.timeout(Duration.ofSeconds(30))
			.deadline(now.plus(Duration.ofDays(30)))
			.uniqueKey(uniqueKey)
			.uniqueTtl(uniqueTtl)
			.retention(retention)
			.enqueuedAt(now)
			.key("customer-42")
			.build();
	}

	private static byte[] json(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	private TaskInfo enqueue(TaskMessage message) {
		return enqueue(message, null);
	}

	private TaskInfo enqueue(TaskMessage message, @Nullable Instant processAt) {
		List<EnqueueResult> results = this.store.enqueue(List.of(new EnqueueRequest(message, processAt)));
		assertThat(results).hasSize(1);
		assertThat(results.get(0).failure()).isNull();
		assertThat(results.get(0).info()).isNotNull();
		return results.get(0).info();
	}

	private RuntimeException enqueueRefused(TaskMessage message) {
		List<EnqueueResult> results = this.store.enqueue(List.of(new EnqueueRequest(message, null)));
		assertThat(results).hasSize(1);
		assertThat(results.get(0).info()).isNull();
		assertThat(results.get(0).failure()).isNotNull();
		return results.get(0).failure();
	}

	/** Dequeue from a queue known to have a pending task. */
	private Delivery take(String queue) throws InterruptedException {
		Delivery delivery = this.store.dequeue(List.of(queue), Duration.ofSeconds(1));
		assertThat(delivery).as("a pending task in %s", queue).isNotNull();
		return delivery;
	}

	/** Settle a delivery as a failed attempt to run again at the given time. */
	private void retry(Delivery delivery, Instant at) {
		delivery.retry(delivery.message().failed("boom", this.clock.instant()), at);
	}

	/** Settle a delivery as failed for good. */
	private void archive(Delivery delivery) {
		delivery.archive(delivery.message().withError("boom", this.clock.instant()));
	}

	private TaskDetail detail(String queue, String id) {
		return this.inspector.task(queue, id).orElseThrow(() -> new AssertionError("No task " + id + " in " + queue));
	}

	/**
	 * Start a dequeue with a long wait on its own thread, and return once that thread is waiting in
	 * it, so that what follows is sure to find it blocked.
	 */
	private CompletableFuture<@Nullable Delivery> startBlockedDequeue(List<String> queues) {
		CompletableFuture<@Nullable Delivery> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(this.store.dequeue(queues, LONG_WAIT));
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "dequeue-" + queues);
		thread.setDaemon(true);
		this.dequeueThreads.add(thread);
		thread.start();
		await().atMost(AWAIT).until(() -> result.isDone() || isWaitingInDequeue(thread));
		assertThat(result).as("dequeue on empty queues %s", queues).isNotDone();
		return result;
	}

	private WorkerInfo worker() {
		Instant now = this.clock.instant();
		return new WorkerInfo("worker-" + UUID.randomUUID(), "host-1", 4242, 8, Map.of(newQueue(), 1), false, now, 0,
				now);
	}

	private List<WorkerInfo> ourWorkers(String id) {
		return this.inspector.workers().stream().filter((worker) -> worker.id().equals(id)).toList();
	}

}
