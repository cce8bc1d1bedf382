package io.worker.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.InMemoryTasks;
import io.worker.backend.memory.TaskRecorder;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.TaskExecutor;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the in-memory backend, the default when
 * {@code worker.backend} is not set.
 */
@AutoConfiguration(before = WorkerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "worker.backend", havingValue = "memory", matchIfMissing = true)
@EnableConfigurationProperties(WorkerProperties.class)
public final class WorkerMemoryBackendAutoConfiguration {

	/** In one process a lease only matters when a handler hangs past it: keep it long. */
	private static final Duration LEASE = Duration.ofMinutes(5);

	@Bean
	@ConditionalOnMissingBean
	TaskRecorder workerTaskRecorder(WorkerProperties properties) {
		return new TaskRecorder(properties.getMemory().getRecordedTasks());
	}

	@Bean
	@ConditionalOnMissingBean(TaskBackend.class)
	InMemoryTaskStore workerInMemoryTaskStore(WorkerProperties properties, TaskRecorder recorder,
			ObjectProvider<Clock> clock, ObjectProvider<TaskExecutor> executor) {
		InMemoryTaskStore store = new InMemoryTaskStore(clock.getIfAvailable(Clock::systemUTC), LEASE,
				properties.getArchive().getMaxSize(), properties.getArchive().getMaxAge(), recorder);
		if (properties.getMemory().isInline()) {
			store.runInline((delivery) -> executor.getObject().execute(delivery));
		}
		return store;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnSingleCandidate(InMemoryTaskStore.class)
	InMemoryTasks workerInMemoryTasks(InMemoryTaskStore store, TaskRecorder recorder,
			ObjectProvider<TaskExecutor> executor, PayloadCodec codec) {
		return new InMemoryTasks(store, recorder, executor::getObject, codec);
	}

}
