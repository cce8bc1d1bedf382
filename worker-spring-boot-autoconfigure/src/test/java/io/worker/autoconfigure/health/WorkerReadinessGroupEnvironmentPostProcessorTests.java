package io.worker.autoconfigure.health;

import java.time.Clock;

import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerReadinessGroupEnvironmentPostProcessor}.
 */
class WorkerReadinessGroupEnvironmentPostProcessorTests {

	private static final String INCLUDE = "management.endpoint.health.group.readiness.include";

	private final WorkerReadinessGroupEnvironmentPostProcessor postProcessor = new WorkerReadinessGroupEnvironmentPostProcessor();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer((context) -> this.postProcessor.postProcessEnvironment(context.getEnvironment(),
				new SpringApplication()))
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerHealthContributorAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				AvailabilityProbesAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
		.withBean(Clock.class, MutableClock::atEpochDay)
		.withPropertyValues("worker.server.enabled=false");

	@Test
	void workerJoinsReadinessButNotLiveness() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
			assertThat(groups.get("readiness").isMember("worker")).isTrue();
			assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
			assertThat(groups.get("liveness").isMember("worker")).isFalse();
			assertThat(groups.get("liveness").isMember("livenessState")).isTrue();
		});
	}

	@Test
	void applicationsOwnReadinessMembersAreKept() {
		this.runner.withPropertyValues(INCLUDE + "[0]=readinessState").run((context) -> {
			HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
			assertThat(groups.get("readiness").isMember("worker")).isFalse();
		});
	}

	@Test
	void nothingIsAddedWhenWorkersHealthIndicatorIsDisabled() {
		this.runner.withPropertyValues("management.health.worker.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getEnvironment().getPropertySources()
				.contains(WorkerReadinessGroupEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		});
	}

	@Test
	void nothingIsAddedWhenProbesAreDisabledOrWorkerIsOff() {
		assertThat(postProcessed("management.endpoint.health.probes.enabled=false").containsProperty(INCLUDE))
			.isFalse();
		assertThat(postProcessed("worker.enabled=false").containsProperty(INCLUDE)).isFalse();
		assertThat(postProcessed("worker.backend=noop").containsProperty(INCLUDE)).isFalse();
		assertThat(postProcessed("management.health.defaults.enabled=false").containsProperty(INCLUDE)).isFalse();
		assertThat(postProcessed("worker.backend=redis").getProperty(INCLUDE)).isEqualTo("readinessState,worker");
	}

	@Test
	void addedDefaultsComeLastSoAnyOtherSourceWins() {
		MockEnvironment environment = postProcessed("worker.backend=memory");
		assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).get().getName())
			.isEqualTo(WorkerReadinessGroupEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
	}

	private MockEnvironment postProcessed(String property) {
		String[] pair = property.split("=");
		MockEnvironment environment = new MockEnvironment().withProperty(pair[0], pair[1]);
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
