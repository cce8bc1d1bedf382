package io.worker.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.health.WorkerHealthContributorAutoConfiguration;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.InMemoryTasks;
import io.worker.runtime.DefaultTaskClient;
import io.worker.runtime.DisabledTaskClient;
import io.worker.runtime.DisabledTaskInspector;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.TaskSettings;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.runtime.WorkerServer;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskMessage;
import io.worker.spi.TaskStore;
import io.worker.testsupport.MutableClock;
import io.worker.testsupport.PropertyValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WorkerAutoConfiguration}.
 */
class WorkerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerHealthContributorAutoConfiguration.class))
		.withBean(Clock.class, MutableClock::atEpochDay);

	@Test
	void defaultBackendIsInMemoryWithClientInspectorAndServer() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TaskBackend.class);
			assertThat(context).getBean(TaskBackend.class).isInstanceOf(InMemoryTaskStore.class);
			assertThat(context).hasSingleBean(InMemoryTasks.class);
			assertThat(context).getBean(TaskClient.class).isInstanceOf(DefaultTaskClient.class);
			assertThat(context).getBean(TaskInspector.class)
				.isSameAs(context.getBean(TaskBackend.class).inspector());
			assertThat(context).hasSingleBean(WorkerServer.class);
			assertThat(context.getBean(WorkerServer.class).isRunning()).isTrue();
		});
	}

	@Test
	void noopBackendDiscardsTasksAndRunsNoServer() {
		this.contextRunner.withPropertyValues("worker.backend=noop").run((context) -> {
			assertThat(context).doesNotHaveBean(TaskBackend.class);
			assertThat(context).doesNotHaveBean(WorkerServer.class);
			assertThat(context).getBean(TaskClient.class).isInstanceOf(DisabledTaskClient.class);
			assertThat(context).getBean(TaskInspector.class).isInstanceOf(DisabledTaskInspector.class);
			TaskInfo info = context.getBean(TaskClient.class).enqueue("user:welcome", "ada");
			assertThat(info.state()).isEqualTo(TaskState.DISCARDED);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "rabbitmq", "kafka" })
	void backendWithoutAutoConfigurationFailsStartupNamingTheProperty(String backend) {
		this.contextRunner.withPropertyValues("worker.backend=" + backend).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("worker.backend")
				.hasMessageContaining("no auto-configuration provides the " + backend + " backend");
		});
	}

	@Test
	void backendThatCannotBeBuiltFailsStartupWithItsOwnReason() {
		this.contextRunner.withPropertyValues("worker.backend=kafka")
			.withBean("workerKafkaUnavailable", WorkerBackendUnavailable.class,
					() -> new WorkerBackendUnavailable("kafka", "add the Kafka client"))
			.withBean("workerRedisUnavailable", WorkerBackendUnavailable.class,
					() -> new WorkerBackendUnavailable("redis", "add the Redis client"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("worker.backend")
				.hasMessageContaining("add the Kafka client")
				.hasMessageNotContaining("Redis"));
	}

	@Test
	void unknownBackendFailsStartupWithABindFailure() {
		this.contextRunner.withPropertyValues("worker.backend=bogus").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("worker.backend")
				.hasStackTraceContaining("bogus");
		});
	}

	@Test
	void disabledWorkerDiscardsTasksAndHasNoBackendOrServer() {
		this.contextRunner.withPropertyValues("worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(TaskBackend.class);
			assertThat(context).doesNotHaveBean(WorkerServer.class);
			assertThat(context).getBean(TaskClient.class).isInstanceOf(DisabledTaskClient.class);
			assertThat(context).getBean(TaskInspector.class).isInstanceOf(DisabledTaskInspector.class);
			assertThat(context.getBean(TaskClient.class).enqueue("user:welcome", "ada").state())
				.isEqualTo(TaskState.DISCARDED);
		});
	}

	@Test
	void disabledWorkerDiscardsTasksEvenWithAUserTaskBackend() {
		this.contextRunner.withPropertyValues("worker.enabled=false")
			.withBean("userTaskBackend", TaskStore.class, () -> mock(TaskStore.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(WorkerServer.class);
				assertThat(context).getBean(TaskClient.class).isInstanceOf(DisabledTaskClient.class);
				assertThat(context).getBean(TaskInspector.class).isInstanceOf(DisabledTaskInspector.class);
			});
	}

	@Test
	void clientOnlyNodeStoresTasksWithoutProcessingThem() {
		this.contextRunner.withPropertyValues("worker.server.enabled=false")
			.withUserConfiguration(WelcomeHandler.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(TaskBackend.class);
				assertThat(context).getBean(TaskClient.class).isInstanceOf(DefaultTaskClient.class);
				assertThat(context).doesNotHaveBean(WorkerServer.class);
				TaskInfo info = context.getBean(TaskClient.class).enqueue("user:welcome", "ada");
				assertThat(info.state()).isEqualTo(TaskState.PENDING);
				assertThat(context.getBean(TaskInspector.class).task(info.queue(), info.id()))
					.hasValueSatisfying((task) -> assertThat(task.state()).isEqualTo(TaskState.PENDING));
				assertThat(context.getBean(WelcomeHandler.class).received).isEmpty();
			});
	}

	@Test
	void backsOffToUserTaskClient() {
		TaskClient client = mock(TaskClient.class);
		this.contextRunner.withBean("userTaskClient", TaskClient.class, () -> client)
			.run((context) -> assertThat(context).getBean(TaskClient.class).isSameAs(client));
	}

	@Test
	void backsOffToUserTaskClientWhenDisabled() {
		TaskClient client = mock(TaskClient.class);
		this.contextRunner.withPropertyValues("worker.enabled=false")
			.withBean("userTaskClient", TaskClient.class, () -> client)
			.run((context) -> assertThat(context).getBean(TaskClient.class).isSameAs(client));
	}

	@Test
	void backsOffToUserTaskInspector() {
		TaskInspector inspector = mock(TaskInspector.class);
		this.contextRunner.withBean("userTaskInspector", TaskInspector.class, () -> inspector)
			.run((context) -> assertThat(context).getBean(TaskInspector.class).isSameAs(inspector));
	}

	@Test
	void backsOffToUserPayloadCodec() {
		PayloadCodec codec = new PayloadCodec(JsonMapper.builder().build());
		this.contextRunner.withBean("userPayloadCodec", PayloadCodec.class, () -> codec)
			.run((context) -> assertThat(context).getBean(PayloadCodec.class).isSameAs(codec));
	}

	@Test
	void disabledTaskTypeIsDiscardedAtEnqueueAndNotStored() {
		this.contextRunner.withInitializer(PropertyValues.of("worker.tasks[user:welcome].enabled", "false"))
			.withUserConfiguration(WelcomeHandler.class)
			.run((context) -> {
				TaskInfo info = context.getBean(TaskClient.class).enqueue("user:welcome", "ada");
				assertThat(info.state()).isEqualTo(TaskState.DISCARDED);
				assertThat(context.getBean(InMemoryTasks.class).enqueued()).isEmpty();
				assertThat(context.getBean(TaskInspector.class).task(info.queue(), info.id())).isEmpty();
				assertThat(context.getBean(TaskSettingsResolver.class).resolve("user:other").enabled()).isTrue();
			});
	}

	@Test
	void taskTypeSettingsFromTheHandlerAnnotationApplyWhenNotConfigured() {
		this.contextRunner.withUserConfiguration(AnnotatedWelcomeHandler.class).run((context) -> {
			TaskSettings settings = context.getBean(TaskSettingsResolver.class).resolve("user:welcome");
			assertThat(settings.queue()).isEqualTo("emails");
			assertThat(settings.maxRetries()).isEqualTo(9);
			assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(1));
		});
	}

	@Test
	void configuredTaskTypeSettingsWinOverTheHandlerAnnotation() {
		this.contextRunner
			.withInitializer(PropertyValues.of("worker.tasks[user:welcome].queue", "critical",
					"worker.tasks[user:welcome].max-retries", "2", "worker.tasks[user:welcome].timeout", "5s"))
			.withUserConfiguration(AnnotatedWelcomeHandler.class)
			.run((context) -> {
				TaskSettings settings = context.getBean(TaskSettingsResolver.class).resolve("user:welcome");
				assertThat(settings.enabled()).isTrue();
				assertThat(settings.queue()).isEqualTo("critical");
				assertThat(settings.maxRetries()).isEqualTo(2);
				assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void taskTypeSettingsThatAreNotConfiguredComeFromTheDefaults() {
		this.contextRunner.withPropertyValues("worker.defaults.max-retries=4", "worker.defaults.timeout=2m")
			.run((context) -> {
				TaskSettings settings = context.getBean(TaskSettingsResolver.class).resolve("user:welcome");
				assertThat(settings.queue()).isEqualTo("default");
				assertThat(settings.maxRetries()).isEqualTo(4);
				assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(2));
			});
	}

	@Test
	void maxRetriesGivenAtEnqueueWinsOverConfigurationAndAnnotation() {
		this.contextRunner.withPropertyValues("worker.server.enabled=false")
			.withInitializer(PropertyValues.of("worker.tasks[user:welcome].queue", "critical",
					"worker.tasks[user:welcome].max-retries", "2"))
			.withUserConfiguration(AnnotatedWelcomeHandler.class)
			.run((context) -> {
				TaskInfo info = context.getBean(TaskClient.class).enqueue(Task.of("user:welcome", "ada").maxRetries(7));
				assertThat(info.queue()).isEqualTo("critical");
				List<TaskMessage> enqueued = context.getBean(InMemoryTasks.class).enqueued("user:welcome");
				assertThat(enqueued).singleElement()
					.satisfies((message) -> assertThat(message.maxRetries()).isEqualTo(7));
				assertThat(context.getBean(TaskInspector.class).task("critical", info.id())).get()
					.extracting(TaskDetail::maxRetries)
					.isEqualTo(7);
			});
	}

	@Test
	void taskEnqueuedWithoutMaxRetriesLeavesItToTheTypesSettings() {
		this.contextRunner.withPropertyValues("worker.server.enabled=false").run((context) -> {
			TaskInfo info = context.getBean(TaskClient.class).enqueue("user:welcome", Map.of("email", "ada"));
			assertThat(context.getBean(TaskInspector.class).task(info.queue(), info.id())).get()
				.extracting(TaskDetail::maxRetries)
				.isNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class WelcomeHandler {

		final List<String> received = new CopyOnWriteArrayList<>();

		@TaskHandler("user:welcome")
		void welcome(String name) {
			this.received.add(name);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedWelcomeHandler {

		@TaskHandler(value = "user:welcome", queue = "emails", maxRetries = 9, timeout = "1m")
		void welcome(String name) {
		}

	}

}
