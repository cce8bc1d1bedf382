package io.worker.autoconfigure.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.worker.Recurring;
import io.worker.RecurringTasks;
import io.worker.ScheduleInfo;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.metrics.ScheduleMetrics;
import io.worker.runtime.RecurringTaskScheduler;
import io.worker.testsupport.LimitedBackend;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerSchedulerAutoConfiguration}.
 */
class WorkerSchedulerAutoConfigurationTests {

	private final MutableClock clock = MutableClock.atEpochDay();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerSchedulerAutoConfiguration.class))
		.withBean(Clock.class, () -> this.clock)
		.withPropertyValues("worker.scheduler.interval=1h", "worker.scheduler.misfire-threshold=2h");

	@Test
	void schedulerAndRecurringTasksArePresentByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RecurringTasks.class).hasSingleBean(RecurringTaskScheduler.class);
			assertThat(context.getBean(RecurringTaskScheduler.class).isRunning()).isTrue();
			assertThat(context.getBean(RecurringTaskScheduler.class).getPhase())
				.isEqualTo(RecurringTaskScheduler.PHASE);
		});
	}

	@Test
	void schedulerIsAbsentWhenDisabledButRecurringTasksRemain() {
		this.contextRunner.withPropertyValues("worker.scheduler.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(RecurringTasks.class).doesNotHaveBean(RecurringTaskScheduler.class);
		});
	}

	@Test
	void everythingIsAbsentWhenWorkerIsDisabled() {
		this.contextRunner.withPropertyValues("worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RecurringTasks.class).doesNotHaveBean(RecurringTaskScheduler.class);
		});
	}

	@Test
	void backsOffToUserRecurringTasks() {
		this.contextRunner.withBean("userRecurringTasks", RecurringTasks.class,
				() -> org.mockito.Mockito.mock(RecurringTasks.class)).run((context) -> {
					assertThat(context).hasSingleBean(RecurringTasks.class)
						.doesNotHaveBean(RecurringTaskScheduler.class);
					assertThat(context).getBean(RecurringTasks.class).isSameAs(context.getBean("userRecurringTasks"));
				});
	}

	@Test
	void propertyScheduleFiresWithItsPayload() {
		this.contextRunner
			.withPropertyValues("worker.scheduler.schedules.report.cron=0 * * * * *",
					"worker.scheduler.schedules.report.zone=Europe/Berlin",
					"worker.scheduler.schedules.report.task=report:build",
					"worker.scheduler.schedules.report.queue=reports",
					"worker.scheduler.schedules.report.payload.days=7",
					"worker.scheduler.schedules.report.misfire.policy=catch-up",
					"worker.scheduler.schedules.report.misfire.max-ticks=2")
			.run((context) -> {
				RecurringTaskScheduler scheduler = context.getBean(RecurringTaskScheduler.class);
				scheduler.runOnce();
				ScheduleInfo info = context.getBean(RecurringTasks.class).get("report").orElseThrow();
				assertThat(info.schedule().zone().getId()).isEqualTo("Europe/Berlin");
				assertThat(info.schedule().misfire().maxTicks()).isEqualTo(2);
				this.clock.advance(Duration.ofMinutes(1));
				scheduler.runOnce();
				TaskInspector inspector = context.getBean(TaskInspector.class);
				assertThat(inspector.tasks("reports", TaskState.PENDING, 0, 10)).singleElement()
					.satisfies((task) -> assertThat(task.payload()).isEqualTo("{\"days\":\"7\"}"));
			});
	}

	@Test
	void ticksAreCountedWhenThereIsAMeterRegistry() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("worker.scheduler.schedules.report.cron=0 * * * * *",
					"worker.scheduler.schedules.report.task=report:build")
			.run((context) -> {
				assertThat(context).hasSingleBean(ScheduleMetrics.class);
				RecurringTaskScheduler scheduler = context.getBean(RecurringTaskScheduler.class);
				scheduler.runOnce();
				this.clock.advance(Duration.ofMinutes(1));
				scheduler.runOnce();
				this.clock.advance(Duration.ofHours(3));
				scheduler.runOnce();
				// with a misfire threshold of 2h, the 121 ticks of the last two hours fire, the 59 before are skipped
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("worker.schedule.fired").tags("schedule", "report", "late", "false").counter()
					.count()).isEqualTo(1 + 121);
				assertThat(registry.get("worker.schedule.skipped").tags("schedule", "report", "reason", "misfire")
					.counter()
					.count()).isEqualTo(59);
			});
	}

	@Test
	void noMetersWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ScheduleMetrics.class));
	}

	@Test
	void noMetersWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ScheduleMetrics.class));
	}

	@Test
	void annotatedScheduleIsRegistered() {
		this.contextRunner.withUserConfiguration(AnnotatedHandlerConfiguration.class).run((context) -> {
			context.getBean(RecurringTaskScheduler.class).runOnce();
			ScheduleInfo info = context.getBean(RecurringTasks.class).get("nightly").orElseThrow();
			assertThat(info.schedule().task()).isEqualTo("report:nightly");
			assertThat(info.schedule().cron()).isEqualTo("0 0 3 * * *");
			assertThat(info.schedule().zone().getId()).isEqualTo("America/New_York");
			assertThat(info.schedule().payload()).hasToString("{\"days\":1}");
		});
	}

	@Test
	void badCronFailsStartupNamingThePropertyAndTheSchedule() {
		this.contextRunner
			.withPropertyValues("worker.scheduler.schedules.report.cron=0 61 * * * *",
					"worker.scheduler.schedules.report.task=report:build")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("worker.scheduler.schedules.report.cron")
				.hasMessageContaining("Schedule 'report'"));
	}

	@Test
	void badZoneFailsStartupNamingThePropertyAndTheSchedule() {
		this.contextRunner
			.withPropertyValues("worker.scheduler.schedules.report.cron=0 0 * * * *",
					"worker.scheduler.schedules.report.zone=Mars/Olympus",
					"worker.scheduler.schedules.report.task=report:build")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("worker.scheduler.schedules.report.zone")
				.hasMessageContaining("Schedule 'report'"));
	}

	@Test
	void badAnnotationFailsStartupNamingTheSchedule() {
		this.contextRunner.withUserConfiguration(BadAnnotatedHandlerConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Invalid schedule 'broken'"));
	}

	@Test
	void scheduleOnABackendWithoutScheduleStoreFailsStartupNamingTheBackend() {
		this.contextRunner.withBean("limited", LimitedBackend.class, () -> new LimitedBackend(
				new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 10, Duration.ofDays(1),
						new io.worker.backend.memory.TaskRecorder(10)),
				Set.of(), EnumSet.allOf(TaskState.class)))
			.withPropertyValues("worker.scheduler.schedules.report.cron=0 0 * * * *",
					"worker.scheduler.schedules.report.task=report:build")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("backend cannot keep them"));
	}

	@Configuration(proxyBeanMethods = false)
	static class AnnotatedHandlerConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		@TaskHandler("report:nightly")
		@Recurring(name = "nightly", cron = "0 0 3 * * *", zone = "America/New_York", payload = "{\"days\": 1}")
		void nightly(Map<String, Object> payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadAnnotatedHandlerConfiguration {

		@Bean
		BadHandlers badHandlers() {
			return new BadHandlers();
		}

	}

	static class BadHandlers {

		@TaskHandler("report:broken")
		@Recurring(name = "broken", cron = "0 0 3 * * *", zone = "Nowhere/Else")
		void broken(List<String> payload) {
		}

	}

}
