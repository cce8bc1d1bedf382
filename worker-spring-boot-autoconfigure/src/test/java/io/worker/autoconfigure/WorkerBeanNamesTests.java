package io.worker.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.autoconfigure.endpoint.WorkerEndpointAutoConfiguration;
import io.worker.autoconfigure.health.WorkerHealthContributorAutoConfiguration;
import io.worker.autoconfigure.metrics.WorkerMetricsAutoConfiguration;
import io.worker.autoconfigure.observation.WorkerObservationAutoConfiguration;
import io.worker.runtime.WorkerServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker's beans share the application's bean namespace: none may take a name an application or
 * Spring itself commonly uses.
 */
class WorkerBeanNamesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerHealthContributorAutoConfiguration.class,
				WorkerMetricsAutoConfiguration.class, WorkerObservationAutoConfiguration.class,
				WorkerEndpointAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(ObservationRegistry.class, ObservationRegistry::create)
		.withPropertyValues("management.endpoints.web.exposure.include=worker");

	@Test
	void everyWorkerBeanHasAWorkerName() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WorkerServer.class);
			assertThat(workerBeanNames(context)).isNotEmpty()
				.allSatisfy((name) -> assertThat(name).matches("(worker|io\\.worker\\.).*"));
		});
	}

	@Test
	void applicationTaskExecutorNamedTaskExecutorIsLeftAloneAndWorkerRuns() {
		this.contextRunner.withUserConfiguration(AsyncApplication.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("taskExecutor")).isInstanceOf(SimpleAsyncTaskExecutor.class);
			assertThat(context.getBean(AsyncWork.class).threadName().get()).startsWith("app-async-");
			context.getBean(TaskClient.class).enqueue("app:greet", "ada");
			await().untilAsserted(() -> assertThat(context.getBean(Greetings.class).greeted).containsExactly("ada"));
		});
	}

	private static List<String> workerBeanNames(ConfigurableApplicationContext context) {
		return List.of(context.getBeanDefinitionNames())
			.stream()
			.filter((name) -> {
				Class<?> type = context.getType(name);
				return type != null && type.getName().startsWith("io.worker.")
						&& !type.getName().startsWith(WorkerBeanNamesTests.class.getName());
			})
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncApplication {

		// the name @EnableAsync looks for, and the one many applications give their own executor
		@Bean
		TaskExecutor taskExecutor() {
			return new SimpleAsyncTaskExecutor("app-async-");
		}

		@Bean
		AsyncWork asyncWork() {
			return new AsyncWork();
		}

		@Bean
		Greetings greetings() {
			return new Greetings();
		}

	}

	static class AsyncWork {

		@Async
		public CompletableFuture<String> threadName() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	static class Greetings {

		final List<String> greeted = new CopyOnWriteArrayList<>();

		@TaskHandler("app:greet")
		void greet(String name) {
			this.greeted.add(name);
		}

	}

}
