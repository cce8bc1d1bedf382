package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.worker.TaskConflictException;
import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisEnqueueGroups} with a sender that the test holds: who sends what, and who gets which
 * result.
 */
class RedisEnqueueGroupsTests {

	private final ExecutorService callers = Executors.newCachedThreadPool();

	/** The ids of each group sent, in order. */
	private final List<List<String>> sent = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopCallers() {
		this.callers.shutdownNow();
	}

	@Test
	void aLoneCallerSendsItsTaskAtOnce() {
		RedisEnqueueGroups groups = new RedisEnqueueGroups(record(this::storeAll), 10);
		assertThat(groups.enqueue(request("a")).info().id()).isEqualTo("a");
		assertThat(groups.enqueue(request("b")).info().id()).isEqualTo("b");
		assertThat(this.sent).containsExactly(List.of("a"), List.of("b"));
	}

	@Test
	void callersThatArriveWhileACallIsInFlightGoTogetherInTheNextCallEachWithItsOwnResult() throws Exception {
		CountDownLatch firstCallSent = new CountDownLatch(1);
		CountDownLatch answerFirstCall = new CountDownLatch(1);
		RedisEnqueueGroups groups = new RedisEnqueueGroups(record((requests) -> {
			if (this.sent.size() == 1) {
				firstCallSent.countDown();
				awaitRelease(answerFirstCall);
			}
			// one task of the group conflicts: only its caller is refused
			return requests.stream()
				.map((request) -> request.message().id().equals("dup")
						? EnqueueResult.refused(new TaskConflictException("dup exists"))
						: stored(request))
				.toList();
		}), 10);
		Future<EnqueueResult> first = this.callers.submit(() -> groups.enqueue(request("first")));
		assertThat(firstCallSent.await(10, TimeUnit.SECONDS)).isTrue();
		List<String> ids = List.of("x", "dup", "y");
		List<Future<EnqueueResult>> later = new ArrayList<>();
		List<Thread> waiting = new CopyOnWriteArrayList<>();
		for (String id : ids) {
			later.add(this.callers.submit(() -> {
				waiting.add(Thread.currentThread());
				return groups.enqueue(request(id));
			}));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> waiting.size() == ids.size()
					&& waiting.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING));
		answerFirstCall.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS).info().id()).isEqualTo("first");
		assertThat(later.get(0).get(10, TimeUnit.SECONDS).info().id()).isEqualTo("x");
		assertThat(later.get(1).get(10, TimeUnit.SECONDS).failure()).isInstanceOf(TaskConflictException.class);
		assertThat(later.get(2).get(10, TimeUnit.SECONDS).info().id()).isEqualTo("y");
		assertThat(this.sent).hasSize(2);
		assertThat(this.sent.get(1)).containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	void aGroupIsNoLargerThanItsLimit() throws Exception {
		CountDownLatch firstCallSent = new CountDownLatch(1);
		CountDownLatch answerFirstCall = new CountDownLatch(1);
		RedisEnqueueGroups groups = new RedisEnqueueGroups(record((requests) -> {
			if (this.sent.size() == 1) {
				firstCallSent.countDown();
				awaitRelease(answerFirstCall);
			}
			return storeAll(requests);
		}), 2);
		Future<EnqueueResult> first = this.callers.submit(() -> groups.enqueue(request("first")));
		assertThat(firstCallSent.await(10, TimeUnit.SECONDS)).isTrue();
		List<Future<EnqueueResult>> later = new ArrayList<>();
		List<Thread> waiting = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 5; i++) {
			String id = "t" + i;
			later.add(this.callers.submit(() -> {
				waiting.add(Thread.currentThread());
				return groups.enqueue(request(id));
			}));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> waiting.size() == 5
					&& waiting.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING));
		answerFirstCall.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS).failure()).isNull();
		for (Future<EnqueueResult> each : later) {
			assertThat(each.get(10, TimeUnit.SECONDS).failure()).isNull();
		}
		assertThat(this.sent.subList(1, this.sent.size())).allMatch((group) -> group.size() <= 2);
		assertThat(this.sent.stream().mapToInt(List::size).sum()).isEqualTo(6);
	}

	@Test
	void aFailedCallRefusesEveryTaskOfItsGroupAndTheNextGroupIsStillSent() throws Exception {
		CountDownLatch firstCallSent = new CountDownLatch(1);
		CountDownLatch failFirstCall = new CountDownLatch(1);
		RedisEnqueueGroups groups = new RedisEnqueueGroups(record((requests) -> {
			if (this.sent.size() == 1) {
				firstCallSent.countDown();
				awaitRelease(failFirstCall);
				throw new IllegalStateException("connection reset");
			}
			return storeAll(requests);
		}), 10);
		Future<EnqueueResult> first = this.callers.submit(() -> groups.enqueue(request("first")));
		assertThat(firstCallSent.await(10, TimeUnit.SECONDS)).isTrue();
		List<Thread> waiting = new CopyOnWriteArrayList<>();
		Future<EnqueueResult> second = this.callers.submit(() -> {
			waiting.add(Thread.currentThread());
			return groups.enqueue(request("second"));
		});
		await().atMost(Duration.ofSeconds(10))
			.until(() -> waiting.size() == 1 && waiting.get(0).getState() == Thread.State.WAITING);
		failFirstCall.countDown();

		assertThat(first.get(10, TimeUnit.SECONDS).failure()).isInstanceOf(TaskEnqueueException.class)
			.hasMessageContaining("'first'")
			.hasMessageContaining("connection reset");
		assertThat(second.get(10, TimeUnit.SECONDS).info().id()).isEqualTo("second");
		assertThat(groups.enqueue(request("third")).failure()).isNull();
	}

	private Function<List<EnqueueRequest>, List<EnqueueResult>> record(
			Function<List<EnqueueRequest>, List<EnqueueResult>> send) {
		return (requests) -> {
			this.sent.add(requests.stream().map((request) -> request.message().id()).toList());
			return send.apply(requests);
		};
	}

	private List<EnqueueResult> storeAll(List<EnqueueRequest> requests) {
		return requests.stream().map(RedisEnqueueGroupsTests::stored).toList();
	}

	private static EnqueueResult stored(EnqueueRequest request) {
		return EnqueueResult.stored(new TaskInfo(request.message().id(), request.message().type(),
				request.message().queue(), TaskState.PENDING, Instant.EPOCH));
	}

	private static EnqueueRequest request(String id) {
		return new EnqueueRequest(RedisTestSupport.task("q", id), null);
	}

	private static void awaitRelease(CountDownLatch latch) {
		try {
			if (!latch.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never released the call");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
