package io.worker.autoconfigure.endpoint;

import io.worker.RecurringTasks;
import io.worker.TaskInspector;
import io.worker.actuate.WorkerEndpoint;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.scheduler.WorkerSchedulerAutoConfiguration;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@link WorkerEndpoint}, when it is exposed
 * and Worker has a backend.
 */
@AutoConfiguration(after = { WorkerAutoConfiguration.class, WorkerSchedulerAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(TaskBackend.class)
public final class WorkerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	WorkerEndpoint workerEndpoint(TaskInspector inspector, ObjectProvider<RecurringTasks> recurringTasks,
			Environment environment) {
		// worker.limits.* belongs to the core properties, validated there; bound here with the same default
		int maxPageSize = Binder.get(environment)
			.bind("worker.limits.max-page-size", Integer.class)
			.orElse(WorkerEndpoint.MAX_PAGE_SIZE);
		return new WorkerEndpoint(inspector, maxPageSize, recurringTasks.getIfAvailable());
	}

}
