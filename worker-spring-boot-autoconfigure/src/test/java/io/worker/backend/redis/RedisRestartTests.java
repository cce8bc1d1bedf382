package io.worker.backend.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.QueueInfo;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskEnqueueException;
import io.worker.TaskHandler;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.redis.WorkerRedisBackendAutoConfiguration;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.testsupport.MutableClock;
import io.worker.testsupport.ServiceAddress;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

/**
 * A Redis of the test's own ({@code /usr/bin/redis-server}, AOF with fsync always) restarted
 * under a running store and a running worker server: calls fail while it is down and succeed
 * after, the subscriber and the server resume by themselves, and no acknowledged task is lost.
 */
class RedisRestartTests {

	private static final int TASKS = 50;

	@TempDir
	static Path dataDir;

	private static int port;

	private static Process server;

	private static LettuceConnectionFactory factory;

	@BeforeAll
	static void startServer() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		server = startRedis();
		factory = TestRedis.connect(redis());
	}

	@AfterAll
	static void stopServer() {
		if (factory != null) {
			factory.destroy();
		}
		if (server != null) {
			server.destroyForcibly();
		}
	}

	@Test
	void storeSurvivesARestartOfRedis() throws Exception {
		MutableClock clock = new MutableClock(RedisTestSupport.START);
		RedisTaskStore store = new RedisTaskStore(factory, "restart", clock, Duration.ofSeconds(30), 100,
				Duration.ofDays(1));
		List<String> cancelled = new CopyOnWriteArrayList<>();
		store.onCancel(cancelled::add);
		List<EnqueueRequest> requests = new ArrayList<>();
		for (int i = 0; i < TASKS; i++) {
			requests.add(new EnqueueRequest(task("default", "t" + i), (i % 10 == 0) ? clock.instant().plusSeconds(5) : null));
		}
		assertThat(store.enqueue(requests)).allMatch((result) -> result.failure() == null);
		List<Delivery> active = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			active.add(store.dequeue(List.of("default"), Duration.ZERO));
		}

		stopRedis();
		EnqueueResult refused = RedisTestSupport.enqueue(store, task("default", "while-down"), null);
		assertThat(refused.failure()).isInstanceOf(TaskEnqueueException.class);
		assertThatRuntimeException().isThrownBy(store::ping);
		assertThatRuntimeException().isThrownBy(() -> store.forwardDue(clock.instant()));

		server = startRedis();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(store::ping);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			store.inspector().cancelTask("after-restart");
			assertThat(cancelled).contains("after-restart");
		});
		QueueInfo info = store.inspector().queue("default");
		assertThat(info.size(TaskState.ACTIVE)).isEqualTo(10);
		assertThat(info.size(TaskState.SCHEDULED)).isEqualTo(5);
		assertThat(info.size(TaskState.PENDING)).isEqualTo(TASKS - 15);
		assertThat(store.inspector().task("default", "while-down")).isEmpty();

		// deliveries taken before the restart still hold their leases; scripts are reloaded as needed
		active.forEach((delivery) -> delivery.complete(null));
		assertThat(store.forwardDue(clock.instant().plusSeconds(5))).isEqualTo(5);
		int taken = 0;
		Delivery delivery;
		while ((delivery = store.dequeue(List.of("default"), Duration.ZERO)) != null) {
			delivery.complete(null);
			taken++;
		}
		assertThat(taken).isEqualTo(TASKS - 10);
		assertThat(store.inspector().queue("default").backlog()).isZero();
		assertThat(store.inspector().queue("default").processedToday()).isEqualTo(TASKS);
		store.close();
	}

	@Test
	void workerServerResumesByItselfAfterARestartOfRedisAndLosesNoAcknowledgedTask() throws Exception {
		Set<String> completed = ConcurrentHashMap.newKeySet();
		String namespace = RedisTestSupport.namespace();
		try (RedisWorker worker = new RedisWorker(factory, namespace, "flow", 4, new Handlers(completed)).start()) {
			List<String> acknowledged = new ArrayList<>(enqueue(worker.client, "before", TASKS * 10));
			await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() >= TASKS);

			stopRedis();
			assertThatExceptionOfType(TaskEnqueueException.class)
				.isThrownBy(() -> worker.client.enqueue(Task.of(Handlers.TYPE, "while-down")));

			server = startRedis();
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(worker.store::ping);
			acknowledged.addAll(enqueue(worker.client, "after", TASKS * 10));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> completed.containsAll(acknowledged) && worker.store.inspector().queue("flow").backlog() == 0);
			assertThat(worker.store.inspector().queue("flow").size(TaskState.ARCHIVED)).isZero();
		}
		finally {
			RedisTestSupport.deleteKeys(factory, namespace);
		}
	}

	@Test
	void enqueueFailsWithinTheRedisTimeoutPropertyWhileRedisIsDown() throws Exception {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
					WorkerRedisBackendAutoConfiguration.class, WorkerAutoConfiguration.class))
			.withPropertyValues(TestRedis.springProperties(redis(), "spring.data.redis.timeout=2s",
					"worker.backend=redis", "worker.redis.namespace=" + RedisTestSupport.namespace()))
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				client.enqueue(Task.of(Handlers.TYPE, "while-up"));
				stopRedis();
				try {
					// without the timeout, Lettuce would hold the command until Redis is back (60 s by default)
					assertThatExceptionOfType(TaskEnqueueException.class)
						.isThrownBy(() -> client.enqueue(Task.of(Handlers.TYPE, "while-down")));
				}
				finally {
					server = startRedis();
				}
			});
	}

	private static List<String> enqueue(TaskClient client, String prefix, int count) {
		List<Task> tasks = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			tasks.add(Task.of(Handlers.TYPE, prefix + i).id(prefix + i));
		}
		return client.enqueueAll(tasks).stream().map(TaskInfo::id).toList();
	}

	/** This test's own Redis. */
	private static ServiceAddress redis() {
		return new ServiceAddress("127.0.0.1", port);
	}

	private static void stopRedis() throws InterruptedException {
		server.destroy();
		assertThat(server.waitFor()).isZero();
	}

	private static Process startRedis() throws IOException {
		Process process = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--dir", dataDir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync",
				"always")
			.redirectErrorStream(true)
			.redirectOutput(new File(dataDir.toFile(), "redis.log"))
			.start();
		LettuceConnectionFactory probe = TestRedis.connect(redis());
		try {
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
				try (var connection = probe.getConnection()) {
					return "PONG".equals(connection.ping());
				}
			});
		}
		finally {
			probe.destroy();
		}
		return process;
	}

	static final class Handlers {

		static final String TYPE = "restart:record";

		private final Set<String> completed;

		Handlers(Set<String> completed) {
			this.completed = completed;
		}

		@TaskHandler(TYPE)
		void record(String id) {
			this.completed.add(id);
		}

	}

}
