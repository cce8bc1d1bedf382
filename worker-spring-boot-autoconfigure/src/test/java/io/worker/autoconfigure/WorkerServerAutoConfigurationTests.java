package io.worker.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.health.WorkerHealthContributorAutoConfiguration;
import io.worker.runtime.ActiveTasks;
import io.worker.runtime.CompositeTaskEventListener;
import io.worker.runtime.ServerSettings;
import io.worker.runtime.TaskExecutor;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.runtime.WorkerServer;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.MutableClock;
import io.worker.testsupport.PropertyValues;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerServerAutoConfiguration}.
 */
class WorkerServerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerHealthContributorAutoConfiguration.class))
		.withBean(Clock.class, MutableClock::atEpochDay);

	@Test
	void serverIsCreatedAndStartedByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WorkerServer.class);
			assertThat(context.getBean(WorkerServer.class).isRunning()).isTrue();
			assertThat(context.getBean(WorkerServer.class).getPhase()).isEqualTo(WorkerServer.PHASE);
		});
	}

	@Test
	void serverIsAbsentWhenDisabled() {
		this.contextRunner.withPropertyValues("worker.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerServer.class));
	}

	@Test
	void serverIsAbsentWhenWorkerIsDisabled() {
		this.contextRunner.withPropertyValues("worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerServer.class));
	}

	@Test
	void serverIsAbsentWithoutBackend() {
		this.contextRunner.withPropertyValues("worker.backend=noop")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerServer.class));
	}

	@Test
	void backsOffToUserWorkerServer() {
		this.contextRunner.withUserConfiguration(UserWorkerServerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(WorkerServer.class);
			assertThat(context).getBean(WorkerServer.class).isSameAs(context.getBean("userWorkerServer"));
			assertThat(context.getBean(WorkerServer.class).info().queues()).containsOnly(entry("only", 1));
		});
	}

	@Test
	void serverStopsWhenTheContextCloses() {
		this.contextRunner.run((context) -> {
			WorkerServer server = context.getBean(WorkerServer.class);
			context.close();
			assertThat(server.isRunning()).isFalse();
		});
	}

	@Test
	void serverServesTheDefaultQueuesWhenNoneIsConfigured() {
		this.contextRunner.run((context) -> {
			WorkerServer server = context.getBean(WorkerServer.class);
			assertThat(server.info().queues()).containsExactly(entry("critical", 6), entry("default", 3),
					entry("low", 1));
			assertThat(server.info().concurrency()).isEqualTo(10);
			assertThat(server.info().strictPriority()).isFalse();
		});
	}

	@Test
	void configuredQueuesReplaceTheDefaultQueues() {
		this.contextRunner
			.withPropertyValues("worker.queues.high.weight=5", "worker.queues.bulk.weight=1",
					"worker.server.concurrency=3", "worker.server.strict-priority=true")
			.run((context) -> {
				WorkerServer server = context.getBean(WorkerServer.class);
				assertThat(server.info().queues()).containsOnly(entry("high", 5), entry("bulk", 1));
				assertThat(server.info().concurrency()).isEqualTo(3);
				assertThat(server.info().strictPriority()).isTrue();
			});
	}

	@Test
	void queueOfAnAnnotatedHandlerIsServedWithWeightOne() {
		this.contextRunner.withUserConfiguration(EmailHandler.class).run((context) -> {
			WorkerServer server = context.getBean(WorkerServer.class);
			assertThat(server.info().queues()).containsExactly(entry("critical", 6), entry("default", 3),
					entry("low", 1), entry("emails", 1));
		});
	}

	@Test
	void queueOfAConfiguredTaskTypeIsServedWithWeightOne() {
		this.contextRunner.withInitializer(PropertyValues.of("worker.tasks[report:build].queue", "reports"))
			.run((context) -> {
				WorkerServer server = context.getBean(WorkerServer.class);
				assertThat(server.info().queues()).containsEntry("reports", 1).containsEntry("critical", 6);
			});
	}

	@Test
	void storedTaskOfADisabledTypeIsArchivedByTheServer() {
		this.contextRunner.withInitializer(PropertyValues.of("worker.tasks[user:welcome].enabled", "false"))
			.withUserConfiguration(EmailHandler.class)
			.run((context) -> {
				Clock clock = context.getBean(Clock.class);
				TaskMessage message = TaskMessage.builder("welcome-1", "user:welcome", "default")
					.payload("\"ada\"".getBytes(StandardCharsets.UTF_8))
					.enqueuedAt(clock.instant())
					.build();
				context.getBean(TaskBackend.class).enqueue(List.of(new EnqueueRequest(message, null)));
				TaskInspector inspector = context.getBean(TaskInspector.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(inspector.task("default", "welcome-1"))
						.hasValueSatisfying((task) -> {
							assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
							assertThat(task.lastError()).contains("disabled");
						}));
				assertThat(context.getBean(EmailHandler.class).welcomed).isZero();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class EmailHandler {

		volatile int welcomed;

		@TaskHandler(value = "email:send", queue = "emails")
		void send(String address) {
		}

		@TaskHandler("user:welcome")
		void welcome(String name) {
			this.welcomed++;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserWorkerServerConfiguration {

		@Bean
		WorkerServer userWorkerServer(TaskBackend backend, TaskExecutor executor, ActiveTasks activeTasks,
				TaskSettingsResolver settings, TaskHandlerRegistry handlers) {
			ServerSettings serverSettings = new ServerSettings(1, Map.of("only", 1), false, Map.of(), Map.of(),
					Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(30),
					Duration.ofSeconds(5));
			return new WorkerServer(backend, executor, activeTasks, settings, handlers, serverSettings,
					new CompositeTaskEventListener(List.of()), Clock.systemUTC());
		}

	}

}
