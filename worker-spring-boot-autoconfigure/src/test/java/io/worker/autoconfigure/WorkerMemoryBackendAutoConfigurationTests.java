package io.worker.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.autoconfigure.health.WorkerHealthContributorAutoConfiguration;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.InMemoryTasks;
import io.worker.backend.memory.TaskRecorder;
import io.worker.runtime.DefaultTaskClient;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskStore;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WorkerMemoryBackendAutoConfiguration}.
 */
class WorkerMemoryBackendAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerHealthContributorAutoConfiguration.class))
		.withBean(Clock.class, MutableClock::atEpochDay);

	@Test
	void inMemoryBackendIsTheDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryTaskStore.class);
			assertThat(context).hasSingleBean(InMemoryTasks.class);
			assertThat(context).hasSingleBean(TaskRecorder.class);
			assertThat(context.getBean(TaskBackend.class).name()).isEqualTo("memory");
		});
	}

	@Test
	void inMemoryBackendIsUsedWhenChosenExplicitly() {
		this.contextRunner.withPropertyValues("worker.backend=memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryTaskStore.class));
	}

	@Test
	void inMemoryBackendIsAbsentWithAnotherBackend() {
		this.contextRunner.withPropertyValues("worker.backend=noop").run((context) -> {
			assertThat(context).doesNotHaveBean(InMemoryTaskStore.class);
			assertThat(context).doesNotHaveBean(InMemoryTasks.class);
		});
	}

	@Test
	void inMemoryBackendIsAbsentWhenWorkerIsDisabled() {
		this.contextRunner.withPropertyValues("worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(InMemoryTaskStore.class);
			assertThat(context).doesNotHaveBean(InMemoryTasks.class);
		});
	}

	@Test
	void backsOffToUserInMemoryTaskStore() {
		InMemoryTaskStore store = new InMemoryTaskStore(Clock.systemUTC(), Duration.ofMinutes(1), 10,
				Duration.ofDays(1), new TaskRecorder(10));
		this.contextRunner.withBean("userTaskStore", InMemoryTaskStore.class, () -> store).run((context) -> {
			assertThat(context).hasSingleBean(TaskBackend.class);
			assertThat(context).getBean(TaskBackend.class).isSameAs(store);
			TaskInfo info = context.getBean(TaskClient.class).enqueue("user:welcome", "ada");
			assertThat(store.inspector().task(info.queue(), info.id())).isPresent();
		});
	}

	@Test
	void backsOffToUserTaskBackendOfAnotherKind() {
		TaskStore backend = mock(TaskStore.class);
		this.contextRunner.withPropertyValues("worker.server.enabled=false")
			.withBean("userTaskBackend", TaskStore.class, () -> backend)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(TaskBackend.class).isSameAs(backend);
				assertThat(context).doesNotHaveBean(InMemoryTaskStore.class);
				assertThat(context).doesNotHaveBean(InMemoryTasks.class);
				assertThat(context).getBean(TaskClient.class).isInstanceOf(DefaultTaskClient.class);
			});
	}

	@Test
	void recordsEnqueuedTasksUpToTheConfiguredNumber() {
		this.contextRunner.withPropertyValues("worker.server.enabled=false", "worker.memory.recorded-tasks=2")
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				client.enqueue("user:welcome", "ada");
				client.enqueue("user:welcome", "grace");
				client.enqueue("user:welcome", "alan");
				assertThat(context.getBean(InMemoryTasks.class).payloads("user:welcome", String.class))
					.containsExactly("grace", "alan");
			});
	}

	@Test
	void inlineRunsEachTaskInsideItsEnqueueOnTheCallingThread() {
		this.contextRunner.withPropertyValues("worker.memory.inline=true")
			.withUserConfiguration(ThreadRecordingHandler.class)
			.run((context) -> {
				Thread caller = Thread.currentThread();
				TaskInfo info = context.getBean(TaskClient.class).enqueue("user:welcome", "ada");
				assertThat(info.state()).isEqualTo(TaskState.COMPLETED);
				assertThat(context.getBean(ThreadRecordingHandler.class).threads).containsExactly(caller);
			});
	}

	@Test
	void inlineTaskRunsExactlyOnceWhileTheServerRuns() {
		this.contextRunner.withPropertyValues("worker.memory.inline=true")
			.withUserConfiguration(ThreadRecordingHandler.class)
			.run((context) -> {
				TaskClient client = context.getBean(TaskClient.class);
				for (int i = 0; i < 200; i++) {
					assertThat(client.enqueue("user:welcome", "task-" + i).state()).isEqualTo(TaskState.COMPLETED);
				}
				assertThat(context.getBean(ThreadRecordingHandler.class).threads).hasSize(200)
					.containsOnly(Thread.currentThread());
			});
	}

	@Test
	void withoutInlineTasksAreLeftToTheServer() {
		this.contextRunner.withPropertyValues("worker.server.enabled=false")
			.withUserConfiguration(ThreadRecordingHandler.class)
			.run((context) -> {
				TaskInfo info = context.getBean(TaskClient.class).enqueue("user:welcome", "ada");
				assertThat(info.state()).isEqualTo(TaskState.PENDING);
				assertThat(context.getBean(ThreadRecordingHandler.class).threads).isEmpty();
				assertThat(context.getBean(InMemoryTasks.class).runPending()).isEqualTo(1);
				assertThat(context.getBean(ThreadRecordingHandler.class).threads)
					.containsExactly(Thread.currentThread());
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadRecordingHandler {

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		@TaskHandler("user:welcome")
		void welcome(String name) {
			this.threads.add(Thread.currentThread());
		}

	}

}
