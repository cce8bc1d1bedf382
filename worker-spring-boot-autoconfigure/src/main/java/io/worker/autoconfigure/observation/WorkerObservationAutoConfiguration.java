package io.worker.autoconfigure.observation;

import io.micrometer.observation.ObservationRegistry;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.observation.ObservationTaskInterceptor;
import io.worker.observation.TaskProcessObservationConvention;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the observation of task attempts, when the
 * application has an {@link ObservationRegistry}. The client observes enqueues with the same
 * registry (see {@link WorkerAutoConfiguration}); without a tracer both are metrics or no-ops.
 */
@AutoConfiguration(after = WorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ ObservationRegistry.class, TaskBackend.class })
public final class WorkerObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObservationTaskInterceptor workerObservationTaskInterceptor(ObservationRegistry registry,
			ObjectProvider<TaskProcessObservationConvention> convention) {
		return new ObservationTaskInterceptor(registry, convention.getIfAvailable());
	}

}
