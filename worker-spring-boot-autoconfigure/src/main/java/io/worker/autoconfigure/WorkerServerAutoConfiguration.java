package io.worker.autoconfigure;

import java.time.Clock;

import io.worker.runtime.ActiveTasks;
import io.worker.runtime.CompositeTaskEventListener;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskExecutor;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.runtime.WorkerServer;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@link WorkerServer} that processes tasks.
 * Absent on client-only instances ({@code worker.server.enabled: false}).
 */
@AutoConfiguration(after = WorkerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "worker.server.enabled", matchIfMissing = true)
@ConditionalOnBean({ TaskBackend.class, TaskExecutor.class })
public final class WorkerServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WorkerServer workerServer(TaskBackend backend, TaskExecutor executor, ActiveTasks activeTasks,
			TaskSettingsResolver settings, TaskHandlerRegistry handlers, WorkerProperties properties,
			ObjectProvider<TaskEventListener> listeners, ObjectProvider<Clock> clock) {
		return new WorkerServer(backend, executor, activeTasks, settings, handlers,
				WorkerSettings.serverSettings(properties),
				new CompositeTaskEventListener(listeners.orderedStream().toList()),
				clock.getIfAvailable(Clock::systemUTC));
	}

}
