package io.worker.autoconfigure;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskContext;
import io.worker.TaskDetail;
import io.worker.TaskEnqueueException;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.actuate.WorkerEndpoint;
import io.worker.autoconfigure.endpoint.WorkerEndpointAutoConfiguration;
import io.worker.runtime.Limits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code worker.limits.*} bounds, end to end on the memory backend: batches and headers over
 * their limit are refused whole with the property named, errors and progress messages are
 * shortened with a marker, a result over its limit archives the task, and the endpoint refuses a
 * page larger than its limit.
 */
class WorkerLimitsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerEndpointAutoConfiguration.class))
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("management.endpoints.web.exposure.include=worker", "worker.limits.max-batch-size=3",
				"worker.limits.max-headers=2", "worker.limits.max-header-size=20B",
				"worker.limits.max-result-size=50B", "worker.limits.max-error-length=100",
				"worker.limits.max-progress-message-length=10", "worker.limits.max-page-size=5");

	@Test
	void batchOverTheLimitIsRefusedWhole() {
		this.runner.run((context) -> {
			List<Task> batch = IntStream.range(0, 4).mapToObj((i) -> Task.of("limits:noop", i)).toList();
			assertThatExceptionOfType(TaskEnqueueException.class)
				.isThrownBy(() -> context.getBean(TaskClient.class).enqueueAll(batch))
				.withMessageContaining("worker.limits.max-batch-size");
			assertThat(context.getBean(TaskInspector.class).queue("default").size(TaskState.PENDING)).isZero();
			assertThat(context.getBean(TaskClient.class).enqueueAll(batch.subList(0, 3))).hasSize(3);
		});
	}

	@Test
	void headersOverTheirLimitsAreRefused() {
		this.runner.withPropertyValues("worker.server.enabled=false").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			assertThatExceptionOfType(TaskEnqueueException.class)
				.isThrownBy(() -> client.enqueue(Task.of("limits:noop", 1).header("a", "1").header("b", "2")
					.header("c", "3")))
				.withMessageContaining("worker.limits.max-headers");
			assertThatExceptionOfType(TaskEnqueueException.class)
				.isThrownBy(() -> client.enqueue(Task.of("limits:noop", 1).header("tenant", "x".repeat(15))))
				.withMessageContaining("worker.limits.max-header-size");
			assertThat(context.getBean(TaskInspector.class).queue("default").size(TaskState.PENDING)).isZero();
			client.enqueue(Task.of("limits:noop", 1).header("tenant", "acme"));
		});
	}

	@Test
	void longErrorIsShortenedWithAMarker() {
		this.runner.run((context) -> {
			TaskDetail task = settled(context, Task.of("limits:fail", "e".repeat(5000)));
			assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
			assertThat(task.lastError()).startsWith("java.lang.IllegalStateException: eee")
				.endsWith(Limits.TRUNCATED + (5000 + "java.lang.IllegalStateException: ".length()) + "]")
				.hasSize(100 + Limits.TRUNCATED.length() + 5);
		});
	}

	@Test
	void longProgressMessageIsShortenedWithAMarker() {
		this.runner.run((context) -> {
			TaskDetail task = settled(context, Task.of("limits:progress", "p".repeat(30)).retention(Duration.ofHours(1)));
			assertThat(task.progressMessage()).isEqualTo("p".repeat(10) + Limits.TRUNCATED + "30]");
		});
	}

	@Test
	void resultOverTheLimitArchivesTheTask() {
		this.runner.run((context) -> {
			TaskDetail task = settled(context, Task.of("limits:result", 100).retention(Duration.ofHours(1)));
			assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
			assertThat(task.lastError()).contains("worker.limits.max-result-size");
			assertThat(task.result()).isNull();
			assertThat(settled(context, Task.of("limits:result", 5).retention(Duration.ofHours(1))).state())
				.isEqualTo(TaskState.COMPLETED);
		});
	}

	@Test
	void endpointRefusesAPageOverTheLimit() {
		this.runner.withPropertyValues("worker.server.enabled=false").run((context) -> {
			WorkerEndpoint endpoint = context.getBean(WorkerEndpoint.class);
			assertThat(endpoint.queue("default", "pending", 0, 5).tasks()).isEmpty();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.queue("default", "pending", 0, 6))
				.withMessageContaining("worker.limits.max-page-size");
			assertThat(endpoint.queue("default", "pending", null, null).tasks()).isEmpty();
		});
	}

	private static TaskDetail settled(AssertableApplicationContext context, Task task) {
		String id = context.getBean(TaskClient.class).enqueue(task).id();
		TaskInspector inspector = context.getBean(TaskInspector.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> inspector.task("default", id)
				.map((detail) -> detail.state() == TaskState.ARCHIVED || detail.state() == TaskState.COMPLETED)
				.orElse(false));
		return inspector.task("default", id).orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@TaskHandler("limits:noop")
		void noop(int value) {
		}

		@TaskHandler(value = "limits:fail", maxRetries = 0)
		void fail(String message) {
			throw new IllegalStateException(message);
		}

		@TaskHandler("limits:progress")
		void progress(TaskContext context, String message) {
			context.reportProgress(50, message);
		}

		@TaskHandler("limits:result")
		Map<String, Integer> result(int entries) {
			Map<String, Integer> result = new LinkedHashMap<>();
			IntStream.range(0, entries).forEach((i) -> result.put("k" + i, i));
			return Collections.unmodifiableMap(result);
		}

	}

}
