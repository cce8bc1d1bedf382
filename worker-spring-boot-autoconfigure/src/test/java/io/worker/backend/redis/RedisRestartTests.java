package io.worker.backend.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.QueueInfo;
import io.worker.TaskEnqueueException;
import io.worker.TaskState;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;

/**
 * A Redis of the test's own ({@code /usr/bin/redis-server}, AOF with fsync always) restarted
 * under a running store: calls fail while it is down and succeed after, the subscriber
 * reconnects by itself, and no task is lost.
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
		factory = RedisTestSupport.connect("127.0.0.1", port);
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

		server.destroy();
		assertThat(server.waitFor()).isZero();
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

	private static Process startRedis() throws IOException {
		Process process = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--dir", dataDir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync",
				"always")
			.redirectErrorStream(true)
			.redirectOutput(new File(dataDir.toFile(), "redis.log"))
			.start();
		LettuceConnectionFactory probe = RedisTestSupport.connect("127.0.0.1", port);
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

}
