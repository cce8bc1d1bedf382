package io.worker.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.observation.ObservationTaskInterceptor;
import io.worker.runtime.MdcLoggingInterceptor;
import io.worker.runtime.TimeoutInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerObservationAutoConfiguration}.
 */
class WorkerObservationAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerObservationAutoConfiguration.class))
		.withPropertyValues("worker.server.enabled=false");

	@Test
	void interceptorIsPresentWithAnObservationRegistry() {
		this.runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context).hasSingleBean(ObservationTaskInterceptor.class));
	}

	@Test
	void absentWithoutAnObservationRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ObservationTaskInterceptor.class));
	}

	@Test
	void absentWhenWorkerIsDisabled() {
		this.runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withPropertyValues("worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ObservationTaskInterceptor.class));
	}

	@Test
	void backsOffToTheApplicationsInterceptor() {
		ObservationTaskInterceptor interceptor = new ObservationTaskInterceptor(ObservationRegistry.NOOP, null);
		this.runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withBean(ObservationTaskInterceptor.class, () -> interceptor)
			.run((context) -> assertThat(context.getBean(ObservationTaskInterceptor.class)).isSameAs(interceptor));
	}

	@Test
	void handlerRunsInsideTheObservationAndInsideMdcLogging() {
		assertThat(ObservationTaskInterceptor.ORDER).isGreaterThan(MdcLoggingInterceptor.ORDER)
			.isLessThan(TimeoutInterceptor.ORDER);
	}

}
