package io.worker.backend.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.worker.TaskState;
import io.worker.spi.Delivery;
import io.worker.spi.QueueRateLimiter;
import io.worker.spi.RateLimit;
import io.worker.testsupport.MutableClock;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.worker.backend.redis.RedisTestSupport.enqueue;
import static io.worker.backend.redis.RedisTestSupport.enqueueOk;
import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What instances sharing a namespace tell each other through Redis: wake-ups of idle workers,
 * cancellations and rate limits; and that another namespace hears none of it.
 */
class RedisNotificationTests {

	/** Far longer than the awaits below: a dequeue that returns a task was woken, not timed out. */
	private static final Duration LONG_WAIT = Duration.ofMinutes(2);

	private static LettuceConnectionFactory factory;

	private final String namespace = RedisTestSupport.namespace();

	private final String otherNamespace = RedisTestSupport.namespace();

	private final MutableClock clock = new MutableClock(RedisTestSupport.START);

	private final String queue = RedisTestSupport.queue();

	private RedisTaskStore store;

	private RedisTaskStore sameNamespace;

	private RedisTaskStore other;

	@BeforeAll
	static void connect() {
		factory = TestRedis.connect();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@BeforeEach
	void createStores() {
		this.store = store(this.namespace);
		this.sameNamespace = store(this.namespace);
		this.other = store(this.otherNamespace);
	}

	private RedisTaskStore store(String namespace) {
		return new RedisTaskStore(factory, namespace, this.clock, Duration.ofSeconds(30), 100, Duration.ofDays(1));
	}

	@AfterEach
	void deleteKeys() {
		List.of(this.store, this.sameNamespace, this.other).forEach(RedisTaskStore::close);
		RedisTestSupport.deleteKeys(factory, this.namespace);
		RedisTestSupport.deleteKeys(factory, this.otherNamespace);
	}

	@Test
	void enqueueWakesABlockedDequeue() throws Exception {
		CompletableFuture<Delivery> taken = blockedDequeue(this.store, this.queue);
		enqueueOk(this.sameNamespace, task(this.queue, "a"));
		assertThat(taken.get(30, TimeUnit.SECONDS).message().id()).isEqualTo("a");
	}

	@Test
	void forwardedTaskWakesABlockedDequeue() throws Exception {
		enqueue(this.store, task(this.queue, "a"), this.clock.instant().plusSeconds(5));
		CompletableFuture<Delivery> taken = blockedDequeue(this.store, this.queue);
		assertThat(this.sameNamespace.forwardDue(this.clock.instant().plusSeconds(5))).isEqualTo(1);
		assertThat(taken.get(30, TimeUnit.SECONDS).message().id()).isEqualTo("a");
	}

	@Test
	void burstWakesEveryBlockedDequeue() throws Exception {
		List<CompletableFuture<Delivery>> taken = List.of(blockedDequeue(this.store, this.queue),
				blockedDequeue(this.store, this.queue), blockedDequeue(this.store, this.queue));
		for (String id : List.of("a", "b", "c")) {
			enqueueOk(this.sameNamespace, task(this.queue, id));
		}
		List<String> ids = CompletableFuture.allOf(taken.toArray(new CompletableFuture[0]))
			.thenApply((done) -> taken.stream().map((future) -> future.join().message().id()).toList())
			.get(30, TimeUnit.SECONDS);
		assertThat(ids).containsExactlyInAnyOrder("a", "b", "c");
	}

	@Test
	void resumingAQueueWakesABlockedDequeue() throws Exception {
		this.store.inspector().pauseQueue(this.queue);
		enqueueOk(this.store, task(this.queue, "a"));
		CompletableFuture<Delivery> taken = blockedDequeue(this.store, this.queue);
		this.sameNamespace.inspector().resumeQueue(this.queue);
		assertThat(taken.get(30, TimeUnit.SECONDS).message().id()).isEqualTo("a");
	}

	@Test
	void dequeueReturnsNothingOnceItsWaitIsOver() throws Exception {
		assertThat(this.store.dequeue(List.of(this.queue), Duration.ofMillis(10))).isNull();
	}

	@Test
	void cancellationReachesListenersOfEveryInstanceInTheNamespace() {
		List<String> cancelled = new CopyOnWriteArrayList<>();
		List<String> elsewhere = new CopyOnWriteArrayList<>();
		this.store.onCancel(cancelled::add);
		this.other.onCancel(elsewhere::add);
		this.other.inspector().cancelTask("not-for-you");
		this.sameNamespace.inspector().cancelTask("task-1");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cancelled).containsExactly("task-1"));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(elsewhere).containsExactly("not-for-you"));
	}

	@Test
	void namespacesSharingARedisAreIsolated() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		enqueueOk(this.other, task(this.queue, "a"));
		enqueueOk(this.other, task(this.queue, "b"));
		assertThat(this.store.inspector().queue(this.queue).size(TaskState.PENDING)).isEqualTo(1);
		assertThat(this.other.inspector().queue(this.queue).size(TaskState.PENDING)).isEqualTo(2);
		this.other.inspector().pauseQueue(this.queue);
		Delivery delivery = this.store.dequeue(List.of(this.queue), Duration.ZERO);
		assertThat(delivery.message().id()).isEqualTo("a");
		assertThat(this.store.dequeue(List.of(this.queue), Duration.ZERO)).isNull();
		assertThat(this.other.recoverExpiredLeases(this.clock.instant().plus(Duration.ofHours(1)))).isZero();
		delivery.complete(null);
		assertThat(this.other.inspector().queue(this.queue).size(TaskState.PENDING)).isEqualTo(2);
		assertThat(RedisTestSupport.keyCount(factory, this.namespace)).isPositive();
	}

	@Test
	void rateLimitIsSharedByInstancesOfTheNamespace() {
		Map<String, RateLimit> limits = Map.of(this.queue, new RateLimit(2, Duration.ofHours(1)));
		QueueRateLimiter one = this.store.sharedRateLimiter(limits);
		QueueRateLimiter two = this.sameNamespace.sharedRateLimiter(limits);
		QueueRateLimiter elsewhere = this.other.sharedRateLimiter(limits);
		assertThat(one.hasPermit(this.queue)).isTrue();
		one.recordStart(this.queue);
		two.recordStart(this.queue);
		assertThat(one.hasPermit(this.queue)).isFalse();
		assertThat(two.hasPermit(this.queue)).isFalse();
		assertThat(elsewhere.hasPermit(this.queue)).isTrue();
		assertThat(one.hasPermit("unlimited")).isTrue();
	}

	/** A dequeue on its own thread, returned once that thread waits for a wake-up. */
	private static CompletableFuture<Delivery> blockedDequeue(RedisTaskStore store, String queue) {
		CompletableFuture<Delivery> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(store.dequeue(List.of(queue), LONG_WAIT));
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		thread.setDaemon(true);
		thread.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> waitsForWakeUp(thread));
		return result;
	}

	private static boolean waitsForWakeUp(Thread thread) {
		return thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().endsWith("RedisWakeups$Waiter"));
	}

}
