package io.worker.autoconfigure.health;

import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.health.WorkerHealthIndicator;
import io.worker.runtime.ActiveTasks;
import io.worker.runtime.QueueInfoCache;
import io.worker.runtime.WorkerServer;
import io.worker.runtime.WorkerStats;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@code worker} health indicator.
 */
@AutoConfiguration(after = WorkerServerAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@ConditionalOnBean(TaskBackend.class)
@ConditionalOnEnabledHealthIndicator("worker")
public final class WorkerHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "workerHealthIndicator")
	WorkerHealthIndicator workerHealthIndicator(TaskBackend backend, ObjectProvider<WorkerServer> server,
			WorkerStats stats, ObjectProvider<ActiveTasks> activeTasks, ObjectProvider<QueueInfoCache> queueCache) {
		// with metrics on, queue sizes come from the gauges' cache: probes add no reads of their own
		QueueInfoCache cache = queueCache.getIfAvailable();
		return new WorkerHealthIndicator(backend, server.getIfAvailable(), stats, activeTasks.getIfAvailable(),
				(cache != null) ? cache::queues : () -> backend.inspector().queues());
	}

}
