package io.worker.autoconfigure.metrics;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.worker.TaskInspector;
import io.worker.autoconfigure.PropertyChecks;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.metrics.QueueSizeGauges;
import io.worker.metrics.WorkerMetrics;
import io.worker.runtime.QueueInfoCache;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of Worker's meters, when the application has a
 * {@link MeterRegistry} and an enabled Worker.
 */
@AutoConfiguration(after = WorkerAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, TaskBackend.class })
@EnableConfigurationProperties(WorkerMetricsProperties.class)
public final class WorkerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WorkerMetrics workerMetrics() {
		return new WorkerMetrics();
	}

	@Bean
	@ConditionalOnMissingBean
	QueueInfoCache workerQueueInfoCache(TaskInspector inspector, WorkerMetricsProperties properties,
			ObjectProvider<Clock> clock) {
		PropertyChecks.notNegative("worker.metrics.queue-size-ttl", properties.getQueueSizeTtl());
		return new QueueInfoCache(inspector, properties.getQueueSizeTtl(), clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	QueueSizeGauges workerQueueSizeGauges(QueueInfoCache queues) {
		return new QueueSizeGauges(queues);
	}

}
