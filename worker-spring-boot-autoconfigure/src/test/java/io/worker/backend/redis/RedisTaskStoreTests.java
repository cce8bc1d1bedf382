package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.worker.TaskConflictException;
import io.worker.TaskDetail;
import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.spi.Capability;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.Test;


import static io.worker.backend.redis.RedisTestSupport.enqueue;
import static io.worker.backend.redis.RedisTestSupport.enqueueOk;
import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every state transition of {@link RedisTaskStore} against a real Redis.
 */
class RedisTaskStoreTests extends RedisStoreTestCase {

	@Test
	void providesEveryCapability() {
		assertThat(this.store.capabilities()).containsExactlyInAnyOrder(Capability.values());
		assertThat(this.store.name()).isEqualTo("redis");
		this.store.ping();
	}

	@Test
	void aQueueNameRedisCannotUseIsRefusedAndTheRestOfTheBatchIsStored() {
		List<EnqueueResult> results = this.store.enqueue(List.of(
				new EnqueueRequest(task(this.queue, "a"), null), new EnqueueRequest(task("bad}{name", "b"), null),
				new EnqueueRequest(task(" ", "c"), null), new EnqueueRequest(task(this.queue, "d"), null)));
		assertThat(results).extracting(EnqueueResult::failure).element(0).isNull();
		assertThat(results.get(1).failure()).isInstanceOf(TaskEnqueueException.class)
			.hasMessageContaining("bad}{name")
			.hasMessageContaining("brace");
		assertThat(results.get(2).failure()).isInstanceOf(TaskEnqueueException.class).hasMessageContaining("blank");
		assertThat(results.get(3).failure()).isNull();
		assertThat(this.store.inspector().queue(this.queue).size(TaskState.PENDING)).isEqualTo(2);
	}

	@Test
	void aBatchOverSeveralQueuesAndScriptCallsAnswersEachTaskInOrder() {
		String other = RedisTestSupport.queue();
		List<EnqueueRequest> requests = new ArrayList<>();
		int count = 2 * RedisEnqueuer.CHUNK + 3;
		for (int i = 0; i < count; i++) {
			// the same id twice in one script call: the second is a conflict
			String id = (i == count - 1) ? "t0" : "t" + i;
			requests.add(new EnqueueRequest(task((i % 3 == 0) ? other : this.queue, id), null));
		}
		List<EnqueueResult> results = this.store.enqueue(requests);
		assertThat(results).hasSize(count);
		for (int i = 0; i < count - 1; i++) {
			assertThat(results.get(i).info()).isEqualTo(new TaskInfo("t" + i, "test:job", requests.get(i).message().queue(),
					TaskState.PENDING, this.clock.instant()));
		}
		assertThat(results.get(count - 1).failure()).isInstanceOf(TaskConflictException.class);
		assertThat(this.store.inspector().queue(other).size(TaskState.PENDING)
				+ this.store.inspector().queue(this.queue).size(TaskState.PENDING)).isEqualTo(count - 1);
	}

	@Test
	void concurrentOneTaskEnqueuesEachGetTheirOwnResultAndOneIdWinsOnce() throws Exception {
		String other = RedisTestSupport.queue();
		int producers = 8;
		int perProducer = 200;
		int sharedAt = perProducer / 2 + 1;
		ExecutorService threads = Executors.newFixedThreadPool(producers);
		List<Future<List<EnqueueResult>>> done = new ArrayList<>();
		try {
			for (int p = 0; p < producers; p++) {
				int producer = p;
				done.add(threads.submit(() -> {
					List<EnqueueResult> results = new ArrayList<>();
					for (int i = 0; i < perProducer; i++) {
						// every producer enqueues "shared" once (one wins), one queue or the other, some scheduled
						String id = (i == sharedAt) ? "shared" : producer + "-" + i;
						Instant processAt = (i % 10 == 0) ? this.clock.instant().plusSeconds(60) : null;
						results.add(enqueue(this.store, task((i % 2 == 0) ? this.queue : other, id), processAt));
					}
					return results;
				}));
			}
			int conflicts = 0;
			for (int p = 0; p < producers; p++) {
				List<EnqueueResult> results = done.get(p).get();
				for (int i = 0; i < perProducer; i++) {
					EnqueueResult result = results.get(i);
					if (i == sharedAt && result.failure() != null) {
						assertThat(result.failure()).isInstanceOf(TaskConflictException.class);
						conflicts++;
					}
					else {
						assertThat(result.failure()).isNull();
						assertThat(result.info().id()).isEqualTo((i == sharedAt) ? "shared" : p + "-" + i);
						assertThat(result.info().state()).isEqualTo((i % 10 == 0) ? TaskState.SCHEDULED : TaskState.PENDING);
					}
				}
			}
			assertThat(conflicts).isEqualTo(producers - 1);
		}
		finally {
			threads.shutdownNow();
		}
		int stored = producers * (perProducer - 1) + 1;
		assertThat(this.store.inspector().queue(this.queue).backlog() + this.store.inspector().queue(other).backlog())
			.isEqualTo(stored);
		assertThat(this.store.inspector().queue(this.queue).size(TaskState.SCHEDULED)
				+ this.store.inspector().queue(other).size(TaskState.SCHEDULED)).isEqualTo(producers * perProducer / 10);
	}

	@Test
	void completionsFinishingTogetherAreEachSettledOnceAndALostLeaseStaysUnsettled() throws Exception {
		String other = RedisTestSupport.queue();
		int count = 200;
		for (int i = 0; i < count; i++) {
			enqueueOk(this.store, task((i % 2 == 0) ? other : this.queue, "t" + i));
		}
		List<Delivery> deliveries = new ArrayList<>(this.store.dequeue(List.of(this.queue, other), count,
				Duration.ofSeconds(1)));
		assertThat(deliveries).hasSize(count);
		// the first delivery's lease expires and is recovered: its completion must change nothing
		Delivery lost = deliveries.remove(0);
		this.clock.advance(LEASE.plusMillis(1));
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isEqualTo(count);
		ExecutorService threads = Executors.newFixedThreadPool(20);
		try {
			// the others were recovered too; take them again, under new leases
			this.store.forwardDue(this.clock.instant());
			List<Delivery> retaken = this.store.dequeue(List.of(this.queue, other), count, Duration.ofSeconds(1));
			List<Delivery> settling = new ArrayList<>(retaken);
			settling.removeIf((delivery) -> delivery.message().id().equals(lost.message().id()));
			List<Future<?>> done = new ArrayList<>();
			done.add(threads.submit(() -> lost.complete(null)));
			settling.forEach((delivery) -> done.add(threads.submit(() -> delivery.complete(null))));
			for (Future<?> each : done) {
				each.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
		// the lost one is held by its new delivery; every other task was settled and deleted
		String lostId = lost.message().id();
		assertThat(this.store.inspector().task(lost.message().queue(), lostId).orElseThrow().state())
			.isEqualTo(TaskState.ACTIVE);
		for (int i = 0; i < count; i++) {
			if (!lostId.equals("t" + i)) {
				assertThat(this.store.inspector().task((i % 2 == 0) ? other : this.queue, "t" + i)).isEmpty();
			}
		}
	}

	@Test
	void dequeuedTaskComesBackUnchangedAndIsDeletedOnComplete() throws Exception {
		TaskMessage message = task(this.queue, "a");
		EnqueueResult result = enqueue(this.store, message, null);
		assertThat(result.info()).isEqualTo(new TaskInfo("a", "test:job", this.queue, TaskState.PENDING, this.clock.instant()));
		Delivery delivery = take();
		TaskMessage taken = delivery.message();
		assertThat(taken).isEqualTo(message);
		assertThat(taken.headers()).isEqualTo(message.headers());
		assertThat(taken.timeout()).isEqualTo(message.timeout());
		assertThat(taken.enqueuedAt()).isEqualTo(message.enqueuedAt());
		assertThat(state("a")).isEqualTo(TaskState.ACTIVE);
		delivery.complete(null);
		assertThat(this.store.inspector().task(this.queue, "a")).isEmpty();
		assertThat(this.store.inspector().queue(this.queue).backlog()).isZero();
	}

	@Test
	void completedTaskWithRetentionKeepsItsResultUntilItExpires() throws Exception {
		enqueueOk(this.store, task(this.queue, "a", null, null, Duration.ofHours(1)));
		take().complete("{\"ok\":true}".getBytes());
		TaskDetail detail = this.store.inspector().task(this.queue, "a").orElseThrow();
		assertThat(detail.state()).isEqualTo(TaskState.COMPLETED);
		assertThat(detail.result()).isEqualTo("{\"ok\":true}");
		assertThat(detail.completedAt()).isEqualTo(this.clock.instant());
		assertThat(this.store.deleteExpired(this.clock.instant())).isZero();
		assertThat(this.store.deleteExpired(this.clock.instant().plus(Duration.ofHours(2)))).isEqualTo(1);
		assertThat(this.store.inspector().task(this.queue, "a")).isEmpty();
	}

	@Test
	void failedTaskWaitsInRetryUntilForwarded() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		Delivery delivery = take();
		delivery.retry(delivery.message().failed("boom", this.clock.instant()), this.clock.instant().plusSeconds(10));
		TaskDetail detail = this.store.inspector().task(this.queue, "a").orElseThrow();
		assertThat(detail.state()).isEqualTo(TaskState.RETRY);
		assertThat(detail.retried()).isEqualTo(1);
		assertThat(detail.lastError()).isEqualTo("boom");
		assertThat(detail.nextProcessAt()).isEqualTo(this.clock.instant().plusSeconds(10));
		assertThat(this.store.forwardDue(this.clock.instant())).isZero();
		assertThat(this.store.dequeue(List.of(this.queue), Duration.ZERO)).isNull();
		assertThat(this.store.forwardDue(this.clock.instant().plusSeconds(10))).isEqualTo(1);
		TaskMessage again = take().message();
		assertThat(again.retried()).isEqualTo(1);
		assertThat(again.lastError()).isEqualTo("boom");
		assertThat(again.lastFailedAt()).isEqualTo(this.clock.instant());
	}

	@Test
	void deliveryIsReadyFromItsDueTime() throws Exception {
		Instant dueAt = this.clock.instant().plusSeconds(60);
		enqueue(this.store, task(this.queue, "a"), dueAt);
		this.store.forwardDue(dueAt.plusSeconds(5));
		assertThat(take().readyAt()).isEqualTo(dueAt);
	}

	@Test
	void archivedTaskKeepsItsError() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		Delivery delivery = take();
		delivery.archive(delivery.message().failed("fatal", this.clock.instant()));
		TaskDetail detail = this.store.inspector().task(this.queue, "a").orElseThrow();
		assertThat(detail.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(detail.lastError()).isEqualTo("fatal");
		assertThat(detail.lastFailedAt()).isEqualTo(this.clock.instant());
		assertThat(detail.retried()).isEqualTo(1);
		assertThat(this.store.inspector().queue(this.queue).size(TaskState.ACTIVE)).isZero();
	}

	@Test
	void requeuedTaskGoesBackToTheHeadWithoutCountingAnAttempt() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		enqueueOk(this.store, task(this.queue, "b"));
		take().requeue();
		TaskMessage again = take().message();
		assertThat(again.id()).isEqualTo("a");
		assertThat(again.retried()).isZero();
	}

	@Test
	void scheduledTaskIsPendingOnlyOnceForwarded() throws Exception {
		Instant dueAt = this.clock.instant().plusSeconds(60);
		EnqueueResult result = enqueue(this.store, task(this.queue, "a"), dueAt);
		assertThat(result.info().state()).isEqualTo(TaskState.SCHEDULED);
		assertThat(result.info().nextProcessAt()).isEqualTo(dueAt);
		assertThat(this.store.dequeue(List.of(this.queue), Duration.ZERO)).isNull();
		assertThat(this.store.forwardDue(dueAt.minusMillis(1))).isZero();
		assertThat(this.store.forwardDue(dueAt)).isEqualTo(1);
		assertThat(take().message().id()).isEqualTo("a");
	}

	@Test
	void forwarderMovesMoreThanOneBatch() {
		List<EnqueueRequest> requests = new java.util.ArrayList<>();
		for (int i = 0; i < 250; i++) {
			requests.add(new EnqueueRequest(task(this.queue, "t" + i), this.clock.instant().plusSeconds(i + 1)));
		}
		assertThat(this.store.enqueue(requests)).allMatch((result) -> result.failure() == null);
		assertThat(this.store.forwardDue(this.clock.instant().plusSeconds(1000))).isEqualTo(250);
		assertThat(this.store.inspector().tasks(this.queue, TaskState.PENDING, 0, 3)).extracting(TaskDetail::id)
			.containsExactly("t0", "t1", "t2");
	}

	@Test
	void uniqueTaskIsRefusedUntilTheFirstCompletes() throws Exception {
		enqueueOk(this.store, task(this.queue, "a", null, "k", null));
		EnqueueResult refused = enqueue(this.store, task(this.queue, "b", null, "k", null), null);
		assertThat(refused.failure()).isInstanceOf(TaskConflictException.class);
		assertThat(this.store.inspector().task(this.queue, "b")).isEmpty();
		Delivery delivery = take();
		delivery.retry(delivery.message().failed("boom", this.clock.instant()), this.clock.instant());
		assertThat(enqueue(this.store, task(this.queue, "b", null, "k", null), null).failure())
			.as("held while retrying")
			.isInstanceOf(TaskConflictException.class);
		this.store.forwardDue(this.clock.instant());
		take().complete(null);
		enqueueOk(this.store, task(this.queue, "b", null, "k", null));
	}

	@Test
	void uniqueLockIsReleasedWhenTheTaskIsDeleted() {
		enqueueOk(this.store, task(this.queue, "a", null, "k", null));
		this.store.inspector().deleteTask(this.queue, "a");
		enqueueOk(this.store, task(this.queue, "b", null, "k", null));
	}

	@Test
	void taskWithAnExistingIdIsRefused() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		EnqueueResult refused = enqueue(this.store, task(this.queue, "a"), this.clock.instant().plusSeconds(5));
		assertThat(refused.failure()).isInstanceOf(TaskConflictException.class).hasMessageContaining("'a'");
		assertThat(state("a")).isEqualTo(TaskState.PENDING);
		assertThat(this.store.inspector().queue(this.queue).size(TaskState.SCHEDULED)).isZero();
	}

	@Test
	void extendedLeaseIsNotRecoveredAndLostLeaseCannotSettle() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		Delivery first = take();
		Instant dequeuedAt = this.clock.instant();
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(first.extendLease()).isTrue();
		assertThat(this.store.recoverExpiredLeases(dequeuedAt.plus(LEASE))).isZero();
		assertThat(this.store.recoverExpiredLeases(this.clock.instant().plus(LEASE))).isEqualTo(1);
		TaskDetail recovered = this.store.inspector().task(this.queue, "a").orElseThrow();
		assertThat(recovered.state()).isEqualTo(TaskState.RETRY);
		assertThat(recovered.lastError()).isEqualTo("lease expired");
		assertThat(recovered.retried()).isEqualTo(1);

		assertThat(first.extendLease()).isFalse();
		first.complete(null);
		first.archive(first.message().failed("late", this.clock.instant()));
		first.requeue();
		first.reportProgress(99, "late");
		assertThat(this.store.inspector().task(this.queue, "a").orElseThrow()).isEqualTo(recovered);

		this.store.forwardDue(this.clock.instant().plus(LEASE));
		Delivery second = take();
		first.complete(null);
		assertThat(state("a")).as("the old delivery cannot settle the new one").isEqualTo(TaskState.ACTIVE);
		second.complete(null);
		assertThat(this.store.inspector().task(this.queue, "a")).isEmpty();
	}

	@Test
	void recoveredTaskWithoutRetriesLeftIsArchived() throws Exception {
		enqueueOk(this.store, task(this.queue, "a", 0, null, null));
		take();
		assertThat(this.store.recoverExpiredLeases(this.clock.instant().plus(LEASE).plusMillis(1))).isEqualTo(1);
		TaskDetail detail = this.store.inspector().task(this.queue, "a").orElseThrow();
		assertThat(detail.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(detail.lastError()).isEqualTo("lease expired");
	}

	@Test
	void progressIsStoredWithTheTask() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		take().reportProgress(40, "copying");
		TaskDetail detail = this.store.inspector().task(this.queue, "a").orElseThrow();
		assertThat(detail.progress()).isEqualTo(40);
		assertThat(detail.progressMessage()).isEqualTo("copying");
	}

	@Test
	void batchReportsEachTaskInOrder() {
		enqueueOk(this.store, task(this.queue, "taken"));
		List<EnqueueResult> results = this.store.enqueue(List.of(new EnqueueRequest(task(this.queue, "a"), null),
				new EnqueueRequest(task(this.queue, "taken"), null),
				new EnqueueRequest(task(this.queue, "b", null, "k", null), this.clock.instant().plusSeconds(5)),
				new EnqueueRequest(task(this.queue, "c", null, "k", null), null)));
		assertThat(results.get(0).info().id()).isEqualTo("a");
		assertThat(results.get(1).failure()).isInstanceOf(TaskConflictException.class);
		assertThat(results.get(2).info().state()).isEqualTo(TaskState.SCHEDULED);
		assertThat(results.get(3).failure()).isInstanceOf(TaskConflictException.class);
		assertThat(this.store.inspector().queue(this.queue).size(TaskState.PENDING)).isEqualTo(2);
	}

	@Test
	void pausedQueueIsSkippedInPreferenceOrder() throws Exception {
		String other = RedisTestSupport.queue();
		enqueueOk(this.store, task(this.queue, "a"));
		enqueueOk(this.store, task(other, "b"));
		this.store.inspector().pauseQueue(this.queue);
		assertThat(this.store.inspector().queue(this.queue).paused()).isTrue();
		assertThat(this.store.dequeue(List.of(this.queue, other), Duration.ZERO).message().id()).isEqualTo("b");
		assertThat(this.store.dequeue(List.of(this.queue, other), Duration.ZERO)).isNull();
		this.store.inspector().resumeQueue(this.queue);
		assertThat(this.store.dequeue(List.of(this.queue, other), Duration.ZERO).message().id()).isEqualTo("a");
	}

	private Delivery take() throws InterruptedException {
		Delivery delivery = this.store.dequeue(List.of(this.queue), Duration.ZERO);
		assertThat(delivery).as("a pending task in " + this.queue).isNotNull();
		return delivery;
	}

	private TaskState state(String id) {
		return this.store.inspector().task(this.queue, id).orElseThrow().state();
	}

}
