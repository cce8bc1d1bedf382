package io.worker.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.redis.WorkerRedisBackendAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application on the auto-configuration running {@value #TASKS} tasks over a replicated Redis
 * while a failover happens: four tasks of the first queue are inside their handlers (held there
 * until the failover is over, so they settle on the new master), the other queues keep flowing
 * (at 250 tasks a second each), and tasks are enqueued during the failover and after it. Every
 * task acknowledged before or after the failover must run, the workers resuming by themselves;
 * a task may run more than once (at least once). What became of the tasks acknowledged during the
 * failover is the caller's to judge ({@link Outcome}).
 */
final class RedisFailoverRun {

	static final int TASKS = 2000;

	private static final Logger logger = LoggerFactory.getLogger(RedisFailoverRun.class);

	private static final String TYPE = "failover:record";

	private static final String HELD = "held-";

	private static final int HELD_AT_ONCE = 4;

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final AtomicInteger holding = new AtomicInteger();

	private final CountDownLatch failedOver = new CountDownLatch(1);

	private final List<String> properties;

	private final List<String> queues;

	/**
	 * @param properties Boot's {@code spring.data.redis.*} settings of the replicated Redis
	 * @param queues the queues to spread the tasks over; the first one's tasks are held during the failover
	 */
	RedisFailoverRun(List<String> properties, List<String> queues) {
		this.properties = properties;
		this.queues = queues;
	}

	/**
	 * Run the tasks, call {@code failover} while they run, and wait until every task acknowledged
	 * before the failover began or after it ended has run and no queue has a backlog left.
	 */
	Outcome run(Runnable failover) {
		String namespace = RedisTestSupport.namespace();
		List<String> settings = new ArrayList<>(this.properties);
		settings.addAll(List.of("worker.backend=redis", "worker.redis.namespace=" + namespace,
				"worker.redis.lease-duration=5s", "worker.server.concurrency=8", "worker.server.heartbeat-interval=1s",
				"worker.server.recover-interval=1s", "worker.server.shutdown-timeout=1s",
				"worker.defaults.backoff.strategy=fixed", "worker.defaults.backoff.initial-delay=100ms",
				"worker.queues." + this.queues.get(0) + ".concurrency=" + HELD_AT_ONCE));
		// the other queues flow at a bounded rate, so that they are still flowing while the failover happens
		this.queues.subList(1, this.queues.size())
			.forEach((queue) -> settings.addAll(List.of("worker.queues." + queue + ".rate-limit.permits=50",
					"worker.queues." + queue + ".rate-limit.period=200ms")));
		AtomicReference<Outcome> outcome = new AtomicReference<>();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
					WorkerRedisBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkerServerAutoConfiguration.class))
			.withBean(Handlers.class, () -> new Handlers(this))
			.withPropertyValues(settings.toArray(new String[0]))
			.run((context) -> {
				try {
					outcome.set(run(context.getBean(TaskClient.class), context.getBean(TaskInspector.class), failover));
				}
				finally {
					this.failedOver.countDown();
					BootRedisConnection.deleteKeys(context.getBean(LettuceConnectionFactory.class), namespace);
				}
			});
		return outcome.get();
	}

	private Outcome run(TaskClient client, TaskInspector inspector, Runnable failover) {
		Set<String> before = ConcurrentHashMap.newKeySet();
		List<Task> tasks = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			tasks.add(task("before-", i));
		}
		for (int from = 0; from < TASKS; from += 500) {
			client.enqueueAll(tasks.subList(from, from + 500)).forEach((info) -> before.add(info.id()));
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.holding.get() == HELD_AT_ONCE && this.runs.size() >= TASKS / 20);

		long started = System.nanoTime();
		CompletableFuture<Void> failingOver = CompletableFuture.runAsync(failover);
		Set<String> during = new LinkedHashSet<>();
		int refused = 0;
		for (int i = 0; !failingOver.isDone() && i < 1000; i++) {
			try {
				during.add(client.enqueue(task("during-", i)).id());
			}
			catch (RuntimeException ex) {
				refused++;
			}
		}
		failingOver.join();
		long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		int runBeforeRelease = this.runs.size();
		this.failedOver.countDown();

		Set<String> after = new LinkedHashSet<>();
		for (int i = 0; i < 300; i++) {
			after.add(client.enqueue(task("after-", i)).id());
		}
		await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
			assertThat(this.runs.keySet()).containsAll(before).containsAll(after);
			for (String queue : this.queues) {
				assertThat(inspector.queue(queue).backlog()).as("backlog of %s", queue).isZero();
			}
		});
		for (String queue : this.queues) {
			assertThat(inspector.queue(queue).size(TaskState.ARCHIVED)).as("archived in %s", queue).isZero();
		}
		Set<String> lost = new LinkedHashSet<>(during);
		lost.removeAll(this.runs.keySet());
		long again = this.runs.values().stream().filter((count) -> count.get() > 1).count();
		logger.info("Failover run: the failover took {} ms; {} tasks acknowledged before it, {} during it ({} refused, "
				+ "{} lost), {} after it; {} tasks had run when it was over, {} ran more than once", tookMillis,
				before.size(), during.size(), refused, lost.size(), after.size(), runBeforeRelease, again);
		return new Outcome(during, lost);
	}

	/**
	 * What a run found.
	 * @param acknowledgedDuring the tasks whose enqueue was acknowledged while the failover happened
	 * @param lost the acknowledged tasks that never ran, and are stored nowhere
	 */
	record Outcome(Set<String> acknowledgedDuring, Set<String> lost) {
	}

	private Task task(String prefix, int i) {
		String queue = this.queues.get(i % this.queues.size());
		String id = (queue.equals(this.queues.get(0)) ? HELD : "") + prefix + i;
		return Task.of(TYPE, id).id(id).queue(queue);
	}

	/** Records every run; holds the first queue's tasks until the failover is over. */
	static final class Handlers {

		private final RedisFailoverRun run;

		Handlers(RedisFailoverRun run) {
			this.run = run;
		}

		@TaskHandler(TYPE)
		void record(String id) throws InterruptedException {
			if (id.startsWith(HELD)) {
				this.run.holding.incrementAndGet();
				try {
					this.run.failedOver.await();
				}
				finally {
					this.run.holding.decrementAndGet();
				}
			}
			this.run.runs.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
