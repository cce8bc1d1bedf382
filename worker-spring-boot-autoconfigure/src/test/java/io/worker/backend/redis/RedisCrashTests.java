package io.worker.backend.redis;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.worker.TaskState;
import io.worker.TaskInspector;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker JVM killed with SIGKILL while holding tasks: another store recovers the expired leases
 * and every one of 1,000 tasks is completed, none lost.
 */
class RedisCrashTests {

	private static final int TASKS = 1000;

	private static final int THREADS = 4;

	private static LettuceConnectionFactory factory;

	private final String namespace = RedisTestSupport.namespace();

	private final String queue = RedisTestSupport.queue();

	@TempDir
	Path dir;

	@BeforeAll
	static void connect() {
		factory = RedisTestSupport.connect();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@Test
	void tasksHeldByAKilledWorkerAreRecoveredAndNoneIsLost() throws Exception {
		// the child runs on the system clock: so must the daily counters read here
		RedisTaskStore store = new RedisTaskStore(factory, this.namespace, Clock.systemUTC(), Duration.ofSeconds(30), 100,
				Duration.ofDays(1));
		try {
			List<EnqueueRequest> requests = new ArrayList<>();
			for (int i = 0; i < TASKS; i++) {
				requests.add(new EnqueueRequest(task(this.queue, "t" + i, 3, null, null), null));
			}
			assertThat(store.enqueue(requests)).allMatch((result) -> result.failure() == null);

			Process child = startChild(TASKS / 3);
			TaskInspector inspector = store.inspector();
			try {
				await().atMost(Duration.ofMinutes(2))
					.until(() -> inspector.queue(this.queue).size(TaskState.ACTIVE) == THREADS
							&& inspector.queue(this.queue).processedToday() >= TASKS / 3);
			}
			finally {
				child.destroyForcibly();
			}
			assertThat(child.waitFor()).isEqualTo(137);
			long completedByChild = processed(inspector);

			Instant leasesExpired = Instant.now().plus(Duration.ofMinutes(5));
			assertThat(store.recoverExpiredLeases(leasesExpired)).isEqualTo(THREADS);
			assertThat(inspector.queue(this.queue).failedToday()).isEqualTo(THREADS);
			assertThat(store.forwardDue(leasesExpired)).isEqualTo(THREADS);
			int completedHere = 0;
			Delivery delivery;
			while ((delivery = store.dequeue(List.of(this.queue), Duration.ZERO)) != null) {
				delivery.complete(null);
				completedHere++;
			}
			assertThat(completedByChild + completedHere).isEqualTo(TASKS);
			assertThat(inspector.queue(this.queue).backlog()).isZero();
			assertThat(RedisTestSupport.keyCount(factory, this.namespace + ":{" + this.queue + "}:t")).isZero();
		}
		finally {
			store.close();
			RedisTestSupport.deleteKeys(factory, this.namespace);
		}
	}

	private long processed(TaskInspector inspector) {
		return inspector.queue(this.queue).processedToday();
	}

	private Process startChild(int completeFirst) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RedisCrashChild.class.getName(),
				RedisTestSupport.host(), Integer.toString(RedisTestSupport.port()), this.namespace, this.queue,
				Integer.toString(completeFirst), Integer.toString(THREADS))
			.redirectErrorStream(true)
			.redirectOutput(new File(this.dir.toFile(), "child.log"))
			.start();
	}

}
