package io.worker.autoconfigure.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.metrics.QueueSizeGauges;
import io.worker.metrics.WorkerMetrics;
import io.worker.runtime.QueueInfoCache;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerMetricsAutoConfiguration}.
 */
class WorkerMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerMetricsAutoConfiguration.class))
		.withPropertyValues("worker.server.enabled=false");

	@Test
	void metersArePresentWithAMeterRegistry() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("worker.metrics.queue-size-ttl=3s")
			.run((context) -> {
				assertThat(context).hasSingleBean(WorkerMetrics.class)
					.hasSingleBean(QueueSizeGauges.class)
					.hasSingleBean(QueueInfoCache.class);
				assertThat(context.getBean(WorkerMetricsProperties.class).getQueueSizeTtl())
					.isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void absentWithoutAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(WorkerMetrics.class));
	}

	@Test
	void absentWithoutMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WorkerMetrics.class));
	}

	@Test
	void absentWhenWorkerIsDisabled() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerMetrics.class));
	}

	@Test
	void backsOffToTheApplicationsBeans() {
		WorkerMetrics metrics = new WorkerMetrics();
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(WorkerMetrics.class, () -> metrics)
			.run((context) -> assertThat(context.getBean(WorkerMetrics.class)).isSameAs(metrics));
	}

}
