package io.worker.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.worker.RecurringTasks;
import io.worker.ScheduleFire;
import io.worker.SkipRetryException;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.actuate.WorkerEndpoint.QueueDescriptor;
import io.worker.actuate.WorkerEndpoint.ScheduleDescriptor;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.endpoint.WorkerEndpointAutoConfiguration;
import io.worker.autoconfigure.scheduler.WorkerSchedulerAutoConfiguration;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.InMemoryTasks;
import io.worker.backend.memory.TaskRecorder;
import io.worker.runtime.CapabilityCheckingTaskInspector;
import io.worker.runtime.DisabledTaskInspector;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.LimitedBackend;
import io.worker.testsupport.MutableClock;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Every operation of the {@code worker} endpoint over the in-memory backend, and when the endpoint
 * is there at all.
 */
class WorkerEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerEndpointAutoConfiguration.class))
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("management.endpoints.web.exposure.include=worker");

	@Test
	void readsQueuesTasksAndOneTask() {
		this.runner.withPropertyValues("worker.server.enabled=false").run((context) -> {
			WorkerEndpoint endpoint = context.getBean(WorkerEndpoint.class);
			TaskClient client = context.getBean(TaskClient.class);
			String pending = client.enqueue(Task.of("ok", null)).id();
			String scheduled = client.enqueue(Task.of("ok", null).processIn(Duration.ofHours(1))).id();
			client.enqueue(Task.of("ok", null).queue("low"));

			assertThat(endpoint.worker().queues()).extracting("name").contains("default", "low");
			assertThat(endpoint.worker().workers()).isEmpty();
			QueueDescriptor queue = endpoint.queue("default", null, null, null);
			assertThat(queue.queue().size(TaskState.PENDING)).isEqualTo(1);
			assertThat(queue.queue().size(TaskState.SCHEDULED)).isEqualTo(1);
			assertThat(queue.tasks()).isNull();
			assertThat(endpoint.queue("default", "scheduled", 0, 10).tasks()).extracting(TaskDetail::id)
				.containsExactly(scheduled);
			assertThat(endpoint.queue("default", "PENDING", null, null).tasks()).extracting(TaskDetail::id)
				.containsExactly(pending);
			assertThat(endpoint.queue("default", "pending", 1, 10).tasks()).isEmpty();
			assertThat(endpoint.task("default", pending).state()).isEqualTo(TaskState.PENDING);
			assertThat(endpoint.task("default", "no-such-task")).isNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.queue("default", "discarded", null, null));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.queue("default", "pending", 0, 0));
		});
	}

	@Test
	void runsArchivesAndDeletesTasksAndPausesQueues() {
		this.runner.withPropertyValues("worker.server.enabled=false").run((context) -> {
			WorkerEndpoint endpoint = context.getBean(WorkerEndpoint.class);
			TaskClient client = context.getBean(TaskClient.class);
			String scheduled = client.enqueue(Task.of("ok", null).processIn(Duration.ofHours(1))).id();
			String failing = client.enqueue(Task.of("fail", null)).id();
			context.getBean(InMemoryTasks.class).runPending();
			assertThat(endpoint.task("default", failing).state()).isEqualTo(TaskState.ARCHIVED);

			assertThat(endpoint.updateTask("default", scheduled, "run").state()).isEqualTo(TaskState.PENDING);
			assertThat(endpoint.updateTask("default", scheduled, "archive").state()).isEqualTo(TaskState.ARCHIVED);
			assertThat(endpoint.updateTask("default", failing, "RUN").state()).isEqualTo(TaskState.PENDING);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.updateTask("default", failing, "run"));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.updateTask("default", "no-such-task", "run"));
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.updateTask("default", failing, "explode"));

			endpoint.deleteTask("default", scheduled);
			assertThat(endpoint.task("default", scheduled)).isNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.deleteTask("default", scheduled));

			assertThat(endpoint.updateQueue("default", "pause").paused()).isTrue();
			assertThat(context.getBean(TaskInspector.class).queue("default").paused()).isTrue();
			assertThat(endpoint.updateQueue("default", "resume").paused()).isFalse();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.updateQueue("default", "drain"));
		});
	}

	@Test
	void cancelsARunningTask() {
		this.runner.run((context) -> {
			WorkerEndpoint endpoint = context.getBean(WorkerEndpoint.class);
			Handlers handlers = context.getBean(Handlers.class);
			String id = context.getBean(TaskClient.class).enqueue(Task.of("block", null)).id();
			handlers.blocking.await();
			assertThat(endpoint.worker().workers()).hasSize(1);
			endpoint.updateTask("default", id, "cancel");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> endpoint.task("default", id).state() == TaskState.ARCHIVED);
			assertThat(endpoint.task("default", id).lastError()).isEqualTo("cancelled");
		});
	}

	@Test
	void operationTheBackendCannotDoIsABadRequestNamingTheBackendAndTheCapability() {
		MutableClock clock = MutableClock.atEpochDay();
		InMemoryTaskStore store = new InMemoryTaskStore(clock, Duration.ofMinutes(5), 100, Duration.ofDays(1),
				new TaskRecorder(100));
		WorkerEndpoint endpoint = new WorkerEndpoint(CapabilityCheckingTaskInspector.of(LimitedBackend.bare(store)));
		TaskMessage message = TaskMessage.builder("t-1", "ok", "default").enqueuedAt(clock.instant()).build();
		store.enqueue(List.of(new EnqueueRequest(message, null)));

		assertThat(endpoint.worker().queues()).singleElement()
			.satisfies((queue) -> assertThat(queue.knows(TaskState.SCHEDULED)).isFalse());
		assertThat(endpoint.queue("default", null, null, null).queue().size(TaskState.PENDING)).isEqualTo(1);
		assertBadRequest(() -> endpoint.queue("default", "pending", null, null), "LIST_TASKS");
		assertBadRequest(() -> endpoint.task("default", "t-1"), "FIND_TASK");
		assertBadRequest(() -> endpoint.updateTask("default", "t-1", "run"), "RUN_SCHEDULED");
		assertBadRequest(() -> endpoint.updateTask("default", "t-1", "archive"), "MANAGE_WAITING");
		assertBadRequest(() -> endpoint.deleteTask("default", "t-1"), "MANAGE_WAITING");
		assertBadRequest(() -> endpoint.updateQueue("default", "pause"), "PAUSE");
		// cancelling is broadcast by every backend; the task cannot be looked up afterwards
		assertThat(endpoint.updateTask("default", "t-1", "cancel")).isNull();
		assertThat(store.inspector().task("default", "t-1")).isPresent();
	}

	private static void assertBadRequest(ThrowingCallable operation, String capability) {
		assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(operation)
			.withMessageContaining("The fake backend does not support")
			.withMessageContaining(capability)
			.satisfies((ex) -> assertThat(ex.getReason()).contains("fake backend"));
	}

	@Test
	void listsEverySchedulesNextAndLastFireAndItsHistoryAsJson() {
		this.runner.withConfiguration(AutoConfigurations.of(WorkerSchedulerAutoConfiguration.class))
			.withPropertyValues("worker.server.enabled=false",
					"worker.scheduler.schedules.report.cron=0 0 6 * * MON",
					"worker.scheduler.schedules.report.zone=Europe/Berlin", "worker.scheduler.schedules.report.task=ok")
			.run((context) -> {
				WorkerEndpoint endpoint = context.getBean(WorkerEndpoint.class);
				RecurringTasks recurringTasks = context.getBean(RecurringTasks.class);
				// the scheduler saves the declared schedules once it has started, on its own thread
				await().atMost(Duration.ofSeconds(10)).until(() -> recurringTasks.get("report").isPresent());
				String taskId = recurringTasks.trigger("report").id();
				ScheduleDescriptor report = endpoint.worker().schedules().stream()
					.filter((schedule) -> schedule.name().equals("report"))
					.findFirst()
					.orElseThrow();
				assertThat(report.cron()).isEqualTo("0 0 6 * * MON");
				assertThat(report.zone()).isEqualTo("Europe/Berlin");
				assertThat(report.task()).isEqualTo("ok");
				assertThat(report.enabled()).isTrue();
				assertThat(report.nextFireAt()).isNotNull();
				assertThat(report.lastTaskId()).isEqualTo(taskId);
				assertThat(report.history()).extracting(ScheduleFire::taskId).containsExactly(taskId);
				String json = context.getBean(JsonMapper.class).writeValueAsString(endpoint.worker());
				assertThat(json).contains("\"name\":\"report\"", "\"zone\":\"Europe/Berlin\"", taskId);
			});
	}

	@Test
	void listsNoSchedulesWithoutRecurringTasks() {
		this.runner.withPropertyValues("worker.server.enabled=false")
			.run((context) -> assertThat(context.getBean(WorkerEndpoint.class).worker().schedules()).isEmpty());
	}

	@Test
	void isAbsentUnlessExposed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
					WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkerEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerEndpoint.class));
	}

	@Test
	void isAbsentWithoutActuator() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("worker.server.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WorkerEndpoint.class));
	}

	@Test
	void isAbsentWhenWorkerIsDisabled() {
		this.runner.withPropertyValues("worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerEndpoint.class));
	}

	@Test
	void backsOffToTheApplicationsEndpoint() {
		this.runner.withPropertyValues("worker.server.enabled=false")
			.withBean("customWorkerEndpoint", WorkerEndpoint.class,
					() -> new WorkerEndpoint(new DisabledTaskInspector()))
			.run((context) -> assertThat(context).getBeanNames(WorkerEndpoint.class)
				.containsExactly("customWorkerEndpoint"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final CountDownLatch blocking = new CountDownLatch(1);

		@TaskHandler("ok")
		void ok() {
		}

		@TaskHandler("fail")
		void fail() {
			throw new SkipRetryException("fails for good");
		}

		@TaskHandler("block")
		void block() throws InterruptedException {
			this.blocking.countDown();
			new CountDownLatch(1).await();
		}

	}

}
