package io.worker.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.worker.TaskState;
import io.worker.spi.Delivery;
import org.junit.jupiter.api.Test;


import static io.worker.backend.redis.RedisTestSupport.enqueueOk;
import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A completion that takes the worker's next task in the same script call
 * ({@link RedisDelivery#completeAndTakeNext}): the task taken is leased as a dequeued one is, in the
 * pick's order, never from a paused queue, and never by two workers.
 */
class RedisCompleteAndTakeNextTests extends RedisStoreTestCase {

	private final String other = RedisTestSupport.queue();

	@Test
	void completesTheTaskAndTakesTheQueuesNextUnderALease() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		enqueueOk(this.store, task(this.queue, "b"));
		Delivery first = take(this.queue);
		Delivery next = first.completeAndTakeNext(null, List.of(this.queue));
		assertThat(next).isNotNull();
		assertThat(next.message().id()).isEqualTo("b");
		assertThat(this.store.inspector().task(this.queue, "a")).isEmpty();
		assertThat(state(this.queue, "b")).isEqualTo(TaskState.ACTIVE);
		assertThat(first.completeAndTakeNext(null, List.of(this.queue))).as("settled once, and nothing left").isNull();
		next.complete(null);
		assertThat(this.store.inspector().task(this.queue, "b")).isEmpty();
		assertThat(this.store.inspector().queue(this.queue).backlog()).isZero();
	}

	@Test
	void aTaskTakenButNotStartedIsRecoveredWhenItsLeaseLapsesAndItsDeliveryCannotSettle() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		enqueueOk(this.store, task(this.queue, "b"));
		Delivery next = take(this.queue).completeAndTakeNext(null, List.of(this.queue));
		assertThat(next).isNotNull();
		this.clock.advance(LEASE.plusMillis(1));
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isEqualTo(1);
		assertThat(state(this.queue, "b")).isEqualTo(TaskState.RETRY);
		assertThat(next.completeAndTakeNext(null, List.of(this.queue))).isNull();
		assertThat(state(this.queue, "b")).as("the lapsed delivery changed nothing").isEqualTo(TaskState.RETRY);
	}

	@Test
	void theNextTaskComesFromThePicksFirstQueueThatHasOne() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		enqueueOk(this.store, task(this.queue, "b"));
		enqueueOk(this.store, task(this.other, "x"));
		Delivery first = take(this.queue);
		assertThat(first.completeAndTakeNext(null, List.of(this.other, this.queue)).message().id()).isEqualTo("x");
		assertThat(state(this.queue, "b")).isEqualTo(TaskState.PENDING);
		assertThat(this.store.inspector().task(this.queue, "a")).isEmpty();
	}

	@Test
	void aPausedQueueGivesNoNextTaskAndThePicksOtherQueuesAreTried() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		enqueueOk(this.store, task(this.queue, "b"));
		enqueueOk(this.store, task(this.other, "x"));
		Delivery first = take(this.queue);
		this.store.inspector().pauseQueue(this.queue);
		Delivery next = first.completeAndTakeNext(null, List.of(this.queue, this.other));
		assertThat(next.message().id()).isEqualTo("x");
		assertThat(this.store.inspector().task(this.queue, "a")).isEmpty();
		assertThat(next.completeAndTakeNext(null, List.of(this.queue, this.other))).isNull();
		assertThat(state(this.queue, "b")).isEqualTo(TaskState.PENDING);
	}

	@Test
	void workersCompletingTogetherEachTakeADifferentTaskAndEveryTaskIsSettledOnce() throws Exception {
		int workers = 10;
		int count = 300;
		for (int i = 0; i < count; i++) {
			enqueueOk(this.store, task(this.queue, "t" + i));
		}
		List<Delivery> firsts = this.store.dequeue(List.of(this.queue), workers, Duration.ZERO);
		ExecutorService threads = Executors.newFixedThreadPool(workers);
		try {
			List<Future<List<String>>> ran = new ArrayList<>();
			for (Delivery first : firsts) {
				ran.add(threads.submit(() -> {
					List<String> ids = new ArrayList<>();
					for (Delivery delivery = first; delivery != null;
							delivery = delivery.completeAndTakeNext(null, List.of(this.queue))) {
						ids.add(delivery.message().id());
					}
					return ids;
				}));
			}
			Set<String> seen = new HashSet<>();
			int total = 0;
			for (Future<List<String>> each : ran) {
				List<String> ids = each.get();
				seen.addAll(ids);
				total += ids.size();
			}
			assertThat(total).isEqualTo(count);
			assertThat(seen).hasSize(count);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.store.inspector().queue(this.queue).backlog()).isZero();
		for (int i = 0; i < count; i++) {
			assertThat(this.store.inspector().task(this.queue, "t" + i)).isEmpty();
		}
	}

	private Delivery take(String queue) throws InterruptedException {
		Delivery delivery = this.store.dequeue(List.of(queue), Duration.ZERO);
		assertThat(delivery).as("a pending task in " + queue).isNotNull();
		return delivery;
	}

	private TaskState state(String queue, String id) {
		return this.store.inspector().task(queue, id).orElseThrow().state();
	}

}
