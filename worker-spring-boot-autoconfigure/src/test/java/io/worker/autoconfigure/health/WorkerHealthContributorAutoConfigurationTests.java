package io.worker.autoconfigure.health;

import java.time.Clock;

import io.worker.TaskClient;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.health.WorkerHealthIndicator;
import io.worker.testsupport.MutableClock;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WorkerHealthContributorAutoConfiguration}.
 */
class WorkerHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerHealthContributorAutoConfiguration.class))
		.withBean(Clock.class, MutableClock::atEpochDay);

	@Test
	void healthIndicatorIsPresentByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(WorkerHealthIndicator.class);
			assertThat(context).hasBean("workerHealthIndicator");
		});
	}

	@Test
	void healthIndicatorReportsUpWithBackendServerCountsAndQueues() {
		this.contextRunner.withPropertyValues("worker.server.enabled=false").run((context) -> {
			context.getBean(TaskClient.class).enqueue("user:welcome", "ada");
			Health health = context.getBean("workerHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("backend", "memory")
				.containsEntry("server", "disabled")
				.containsEntry("processed", 0L)
				.containsKey("queues");
			assertThat(health.getDetails().get("queues"))
				.asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
				.containsKey("default");
		});
	}

	@Test
	void healthIndicatorReportsARunningServer() {
		this.contextRunner.run((context) -> {
			Health health = context.getBean("workerHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("backend", "memory")
				.containsEntry("server", "running")
				.containsKeys("processed", "queues");
		});
	}

	@Test
	void healthIndicatorIsAbsentWhenDisabledByProperty() {
		this.contextRunner.withPropertyValues("management.health.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerHealthIndicator.class));
	}

	@Test
	void healthIndicatorIsAbsentWhenDefaultsAreDisabled() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerHealthIndicator.class));
	}

	@Test
	void healthIndicatorIsAbsentWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean("workerHealthIndicator"));
	}

	@Test
	void healthIndicatorIsAbsentWithoutBackend() {
		this.contextRunner.withPropertyValues("worker.backend=noop")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerHealthIndicator.class));
	}

	@Test
	void healthIndicatorIsAbsentWhenWorkerIsDisabled() {
		this.contextRunner.withPropertyValues("worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerHealthIndicator.class));
	}

	@Test
	void backsOffToUserBeanNamedWorkerHealthIndicator() {
		HealthIndicator indicator = mock(HealthIndicator.class);
		this.contextRunner.withBean("workerHealthIndicator", HealthIndicator.class, () -> indicator)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(WorkerHealthIndicator.class);
				assertThat(context).getBean("workerHealthIndicator").isSameAs(indicator);
			});
	}

}
