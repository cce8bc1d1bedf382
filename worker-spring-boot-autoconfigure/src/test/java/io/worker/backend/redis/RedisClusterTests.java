package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.worker.ScheduleFire;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.QueueRateLimiter;
import io.worker.spi.RateLimit;
import io.worker.spi.ScheduleStore;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link RedisTaskStore} on a Redis Cluster of three masters ({@link RedisCluster}): queues
 * spread over the masters, and every operation that spans queues (a batch enqueue, a dequeue over
 * several queues, the maintenance scripts, the inspector, schedules, rate limits, cancellation)
 * works across them, each script within one queue's slot.
 */
class RedisClusterTests {

	/** Nine queue names: fixed, so the slots of their hash tags and the masters serving them are too. */
	private static final List<String> QUEUES = IntStream.range(0, 9).mapToObj((i) -> "spread-" + i).toList();

	private static BootRedisConnection redis;

	private final String namespace = RedisTestSupport.namespace();

	private final MutableClock clock = new MutableClock(RedisTestSupport.START);

	private final RedisTaskStore store = new RedisTaskStore(redis.factory(), this.namespace, this.clock,
			Duration.ofSeconds(30), 3, Duration.ofDays(1));

	@BeforeAll
	static void connect() {
		redis = new BootRedisConnection(RedisCluster.shared().properties());
	}

	@AfterAll
	static void disconnect() {
		redis.close();
	}

	@AfterEach
	void deleteKeys() {
		this.store.close();
		redis.deleteKeys(this.namespace);
	}

	@Test
	void queuesSpreadOverEveryMaster() {
		RedisCluster cluster = RedisCluster.shared();
		RedisKeys keys = this.store.keys();
		Set<Integer> masters = new HashSet<>();
		QUEUES.forEach((queue) -> masters.add(cluster.masterOf(keys.pending(queue))));
		assertThat(masters).hasSize(3)
			.containsExactlyInAnyOrderElementsOf(cluster.masters().stream().map(RedisServerProcess::port).toList());

		List<EnqueueRequest> requests = new ArrayList<>();
		for (String queue : QUEUES) {
			for (int i = 0; i < 5; i++) {
				requests.add(new EnqueueRequest(task(queue, queue + "-" + i, null, "u" + i, null), null));
			}
		}
		assertThat(this.store.enqueue(requests)).allMatch((result) -> result.failure() == null);

		for (int port : masters) {
			List<String> stored = cluster.node(port).cli("KEYS", this.namespace + ":*").lines().toList();
			assertThat(stored).as("keys on master %d", port).isNotEmpty();
			// every key of a queue lives on the master serving the queue's hash tag; the rest are the namespace's own
			for (String key : stored) {
				if (!key.contains("{")) {
					assertThat(key).isEqualTo(keys.queues());
					continue;
				}
				String queue = key.substring(key.indexOf('{') + 1, key.indexOf('}'));
				assertThat(cluster.masterOf(keys.pending(queue))).isEqualTo(port);
			}
		}
		assertThat(this.store.inspector().queues()).hasSize(QUEUES.size())
			.allSatisfy((info) -> assertThat(info.size(TaskState.PENDING)).isEqualTo(5));
	}

	@Test
	void everyOperationSpanningQueuesWorksAcrossTheMasters() throws InterruptedException {
		List<EnqueueRequest> requests = new ArrayList<>();
		Instant later = this.clock.instant().plusSeconds(60);
		for (String queue : QUEUES) {
			requests.add(new EnqueueRequest(task(queue, "now"), null));
			requests.add(new EnqueueRequest(task(queue, "later"), later));
			requests.add(new EnqueueRequest(task(queue, "kept", null, null, Duration.ofMinutes(1)), null));
		}
		assertThat(this.store.enqueue(requests)).allMatch((result) -> result.failure() == null);

		// one dequeue takes from every queue, in order
		List<Delivery> taken = this.store.dequeue(QUEUES, 2 * QUEUES.size(), Duration.ZERO);
		assertThat(taken).extracting((delivery) -> delivery.message().queue())
			.containsExactlyElementsOf(QUEUES.stream().flatMap((queue) -> List.of(queue, queue).stream()).toList());
		for (Delivery delivery : taken) {
			if (delivery.message().id().equals("kept")) {
				delivery.complete(null);
			}
		}
		// the maintenance scripts run for every queue in one pipeline over all masters
		assertThat(this.store.forwardDue(later)).isEqualTo(QUEUES.size());
		this.clock.set(this.clock.instant().plusSeconds(31));
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isEqualTo(QUEUES.size());
		assertThat(this.store.deleteExpired(this.clock.instant().plusSeconds(120))).isEqualTo(QUEUES.size());
		assertThat(this.store.inspector().queues()).hasSize(QUEUES.size()).allSatisfy((info) -> {
			assertThat(info.size(TaskState.PENDING)).isEqualTo(1);
			assertThat(info.size(TaskState.RETRY)).isEqualTo(1);
			assertThat(info.size(TaskState.COMPLETED)).isZero();
			assertThat(info.processedToday()).isEqualTo(2);
		});

		for (String queue : QUEUES) {
			this.store.inspector().pauseQueue(queue);
		}
		assertThat(this.store.dequeue(QUEUES, QUEUES.size(), Duration.ZERO)).isEmpty();
		QUEUES.forEach(this.store.inspector()::resumeQueue);
		assertThat(this.store.dequeue(QUEUES, QUEUES.size(), Duration.ZERO)).hasSize(QUEUES.size());
	}

	@Test
	void wakeUpsAndCancellationsReachAnotherInstanceWhateverNodeItListensOn() throws Exception {
		try (RedisTaskStore other = new RedisTaskStore(redis.factory(), this.namespace, this.clock,
				Duration.ofSeconds(30), 3, Duration.ofDays(1))) {
			List<String> cancelled = new CopyOnWriteArrayList<>();
			other.onCancel(cancelled::add);
			for (String queue : QUEUES) {
				CompletableFuture<Delivery> waiting = CompletableFuture.supplyAsync(() -> {
					try {
						return other.dequeue(QUEUES, Duration.ofMinutes(5));
					}
					catch (InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
				});
				RedisTestSupport.enqueueOk(this.store, task(queue, "wake"));
				// a waiter polls nothing by itself: once waiting, only the wake-up the enqueue script publishes ends it
				assertThat(waiting.get(30, TimeUnit.SECONDS).message().queue()).isEqualTo(queue);
			}
			this.store.inspector().cancelTask("some-task");
			await().atMost(Duration.ofSeconds(10)).until(() -> cancelled.contains("some-task"));
		}
	}

	@Test
	void workersSchedulesAndRateLimitsWorkOnTheCluster() {
		Instant now = this.clock.instant();
		WorkerInfo worker = new WorkerInfo("worker-1", "host-1", 42, 8, Map.of("spread-0", 1), false, now, 0, now);
		this.store.workerRegistry().heartbeat(worker, Duration.ofMinutes(1));
		assertThat(this.store.inspector().workers()).extracting(WorkerInfo::id).containsExactly("worker-1");

		QueueRateLimiter limiter = this.store.sharedRateLimiter(
				Map.of("spread-0", new RateLimit(1, Duration.ofMinutes(1)), "spread-1", new RateLimit(1, Duration.ofMinutes(1))));
		assertThat(limiter.hasPermit("spread-0")).isTrue();
		limiter.recordStart("spread-0");
		assertThat(limiter.hasPermit("spread-0")).isFalse();
		assertThat(limiter.hasPermit("spread-1")).isTrue();

		ScheduleStore schedules = this.store.scheduleStore();
		for (String name : List.of("a", "b", "c", "}with{braces}")) {
			schedules.save(name, Map.of("cron", "0 * * * * *"));
			assertThat(schedules.claimTick(name, now, Duration.ofMinutes(1))).isTrue();
			assertThat(schedules.claimTick(name, now, Duration.ofMinutes(1))).isFalse();
			schedules.recordFire(name, new ScheduleFire(now, "id-" + name, "spread-0", now), false, 10);
		}
		assertThat(schedules.list()).hasSize(4).allSatisfy((schedule) -> {
			assertThat(schedule.lastTick()).isEqualTo(now);
			assertThat(schedule.history()).hasSize(1);
		});
	}

}
