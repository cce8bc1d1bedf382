package io.worker.autoconfigure.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.SkipRetryException;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.health.WorkerHealthContributorAutoConfiguration;
import io.worker.autoconfigure.metrics.WorkerMetricsAutoConfiguration;
import io.worker.testsupport.ServiceAddress;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters and health on the Redis backend, against a {@code redis-server} of the test's own that
 * it stops to see health go DOWN.
 */
class WorkerRedisObservabilityTests {

	@TempDir
	Path dataDir;

	private Process redis;

	private int port;

	@BeforeEach
	void startRedis() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.redis = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--dir", this.dataDir.toString(), "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(new File(this.dataDir.toFile(), "redis.log"))
			.start();
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(this::pong);
	}

	private boolean pong() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] reply = new byte[5];
			return socket.getInputStream().readNBytes(reply, 0, 5) == 5
					&& "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
		}
	}

	@AfterEach
	void stopRedis() {
		this.redis.destroyForcibly();
	}

	@Test
	void metersMoveAndHealthGoesDownWhenRedisStops() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
					MetricsAutoConfiguration.class, WorkerRedisBackendAutoConfiguration.class,
					WorkerAutoConfiguration.class, WorkerServerAutoConfiguration.class,
					WorkerMetricsAutoConfiguration.class, WorkerHealthContributorAutoConfiguration.class))
			.withUserConfiguration(Handlers.class)
			.withPropertyValues(TestRedis.springProperties(new ServiceAddress("127.0.0.1", this.port),
					"worker.backend=redis", "spring.data.redis.timeout=1s",
					"spring.data.redis.connect-timeout=1s", "worker.redis.namespace=wtest-obs",
					"worker.metrics.queue-size-ttl=0s", "worker.tasks.flaky.backoff.strategy=linear",
					"worker.tasks.flaky.backoff.initial-delay=10ms", "worker.tasks.flaky.backoff.jitter=0",
					"worker.server.shutdown-timeout=1s"))
			.run((context) -> {
				HealthIndicator health = context.getBean("workerHealthIndicator", HealthIndicator.class);
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
				TaskClient client = context.getBean(TaskClient.class);
				client.enqueue(Task.of("ok", null));
				client.enqueue(Task.of("ok", null));
				client.enqueue(Task.of("flaky", null));
				client.enqueue(Task.of("doomed", null));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					assertThat(processed(registry, "ok", "success")).isEqualTo(2);
					assertThat(processed(registry, "flaky", "retried")).isEqualTo(1);
					assertThat(processed(registry, "flaky", "success")).isEqualTo(1);
					assertThat(processed(registry, "doomed", "archived")).isEqualTo(1);
				});
				assertThat(processed(registry, "flaky", "failed")).isEqualTo(1);
				assertThat(processed(registry, "doomed", "failed")).isEqualTo(1);
				assertThat(registry.get("worker.tasks.enqueued").tag("task_type", "ok").counter().count())
					.isEqualTo(2);
				assertThat(registry.get("worker.task.duration").tag("task_type", "flaky").timer().count())
					.isEqualTo(2);
				assertThat(registry.get("worker.queue.size").tag("queue", "default").tag("state", "archived")
					.gauge().value()).isEqualTo(1);
				assertThat(health.health().getDetails()).containsEntry("backend", "redis")
					.containsEntry("server", "running")
					.containsEntry("processed", 5L)
					.containsEntry("failed", 2L);

				this.redis.destroy();
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.DOWN));
				assertThat(health.health().getDetails()).containsEntry("backend", "redis").containsKey("error");
			});
	}

	private static double processed(MeterRegistry registry, String type, String status) {
		var counter = registry.find("worker.tasks.processed").tag("task_type", type).tag("status", status).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		private final AtomicInteger flakyAttempts = new AtomicInteger();

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@TaskHandler("ok")
		void ok() {
		}

		@TaskHandler("flaky")
		void flaky() {
			if (this.flakyAttempts.incrementAndGet() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		}

		@TaskHandler("doomed")
		void doomed() {
			throw new SkipRetryException("never works");
		}

	}

}
