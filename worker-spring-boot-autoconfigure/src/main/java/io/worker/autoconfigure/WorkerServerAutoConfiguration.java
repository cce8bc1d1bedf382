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
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * {@link AutoConfiguration Auto-configuration} of the {@link WorkerServer} that processes tasks.
 * Absent on client-only instances ({@code worker.server.enabled: false}). Handlers run on virtual
 * threads when Boot's {@code spring.threads.virtual.enabled} is set on Java 21 or later.
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
			ObjectProvider<TaskEventListener> listeners, ObjectProvider<Clock> clock, Environment environment) {
		WorkerServer server = new WorkerServer(backend, executor, activeTasks, settings, handlers,
				WorkerSettings.serverSettings(properties),
				new CompositeTaskEventListener(listeners.orderedStream().toList()),
				clock.getIfAvailable(Clock::systemUTC));
		if (Threading.VIRTUAL.isActive(environment)) {
			// Boot's switch on Java 21+: a thousand handlers blocked on I/O cost a thousand virtual threads
			server.setHandlerThreads(new VirtualThreadTaskExecutor("worker-").getVirtualThreadFactory());
		}
		return server;
	}

}
