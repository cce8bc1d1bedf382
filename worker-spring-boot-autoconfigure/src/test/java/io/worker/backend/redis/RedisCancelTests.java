package io.worker.backend.redis;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.Task;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskState;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cancellation asked through one worker server's inspector reaches the task running on another
 * server of the same namespace.
 */
class RedisCancelTests {

	private static LettuceConnectionFactory factory;

	private final String namespace = RedisTestSupport.namespace();

	private final String queue = RedisTestSupport.queue();

	@BeforeAll
	static void connect() {
		factory = TestRedis.connect();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@Test
	void cancelThroughOneServerInterruptsTheTaskOnAnotherAndArchivesIt() {
		Handlers onA = new Handlers();
		Handlers onB = new Handlers();
		try (RedisWorker b = new RedisWorker(factory, this.namespace, this.queue, 2, onB).start();
				RedisWorker a = new RedisWorker(factory, this.namespace, this.queue, 2, onA)) {
			String id = b.client.enqueue(Task.of(Handlers.TYPE, "x")).id();
			await().atMost(Duration.ofSeconds(10)).until(() -> onB.started.get() == 1);
			// A starts only now, so the task cannot be running on it
			a.start();
			a.store.inspector().cancelTask(id);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> a.store.inspector().task(this.queue, id).map(TaskDetail::state).orElse(null),
						(state) -> state == TaskState.ARCHIVED);
			TaskDetail task = a.store.inspector().task(this.queue, id).orElseThrow();
			assertThat(task.lastError()).isEqualTo("cancelled");
			assertThat(task.retried()).isZero();
			assertThat(onB.interrupted).hasValue(1);
			assertThat(onA.started).hasValue(0);
			assertThat(a.store.inspector().queue(this.queue).backlog()).isZero();
		}
		finally {
			RedisTestSupport.deleteKeys(factory, this.namespace);
		}
	}

	static final class Handlers {

		static final String TYPE = "cancel:block";

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger interrupted = new AtomicInteger();

		@TaskHandler(TYPE)
		void block(String ignored) throws InterruptedException {
			this.started.incrementAndGet();
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				this.interrupted.incrementAndGet();
				throw ex;
			}
		}

	}

}
