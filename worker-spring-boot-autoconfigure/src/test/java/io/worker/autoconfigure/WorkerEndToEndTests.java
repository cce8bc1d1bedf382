package io.worker.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskContext;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole starter on the in-memory backend: a handler bean, an enqueue, a running server.
 */
class WorkerEndToEndTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class))
		.withUserConfiguration(Handlers.class);

	@Test
	void enqueuedTaskRunsOnItsHandlerWithPayloadAndContext() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			client.enqueue(Task.of("email:welcome", new Welcome("ada@example.com")).header("tenant", "acme"));
			Handlers handlers = context.getBean(Handlers.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> handlers.received.size() == 1);
			assertThat(handlers.received).containsExactly("ada@example.com/acme/email:welcome/1");
		});
	}

	@Test
	void mapPayloadAndResultAreKeptWithRetention() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			String id = client.enqueue(Task.of("math:sum", Map.of("a", 2, "b", 3)).retention(Duration.ofHours(1)))
				.id();
			TaskInspector inspector = context.getBean(TaskInspector.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> inspector.task("default", id)
					.map((task) -> task.state() == TaskState.COMPLETED)
					.orElse(false));
			assertThat(inspector.task("default", id).get().result()).isEqualTo("5");
		});
	}

	record Welcome(String email) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<String> received = new CopyOnWriteArrayList<>();

		@TaskHandler("email:welcome")
		void welcome(TaskContext context, Welcome welcome) {
			this.received.add(welcome.email() + "/" + context.headers().get("tenant") + "/" + context.type() + "/"
					+ context.attempt());
		}

		@TaskHandler("math:sum")
		int sum(Map<String, Integer> numbers) {
			return numbers.get("a") + numbers.get("b");
		}

	}

}
