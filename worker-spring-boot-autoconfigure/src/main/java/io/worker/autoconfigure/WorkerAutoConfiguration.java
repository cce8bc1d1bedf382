package io.worker.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.micrometer.observation.ObservationRegistry;
import io.worker.TaskClient;
import io.worker.TaskInspector;
import io.worker.TaskInterceptor;
import io.worker.autoconfigure.WorkerProperties.Backend;
import io.worker.observation.TaskEnqueueObservationConvention;
import io.worker.runtime.ActiveTasks;
import io.worker.runtime.CompositeTaskEventListener;
import io.worker.runtime.DefaultTaskClient;
import io.worker.runtime.DisabledTaskClient;
import io.worker.runtime.CapabilityCheckingTaskInspector;
import io.worker.runtime.DisabledTaskInspector;
import io.worker.runtime.MdcLoggingInterceptor;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.RecoveryInterceptor;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskExecutor;
import io.worker.runtime.TaskHandlerAnnotationBeanPostProcessor;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.runtime.TimeoutInterceptor;
import io.worker.runtime.WorkerStats;
import io.worker.spi.TaskBackend;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * {@link AutoConfiguration Auto-configuration} of Worker's core: handler discovery, the
 * {@link TaskClient}, the {@link TaskInspector} and task execution over whichever backend bean the
 * backend auto-configurations (or the application) provide. Each backend's auto-configuration
 * orders itself before this one, so the core names none of them.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(WorkerProperties.class)
public final class WorkerAutoConfiguration {

	WorkerAutoConfiguration(WorkerProperties properties) {
		WorkerSettings.validate(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskHandlerRegistry workerTaskHandlerRegistry() {
		return new TaskHandlerRegistry();
	}

	@Bean
	static TaskHandlerAnnotationBeanPostProcessor workerTaskHandlerAnnotationBeanPostProcessor(
			ObjectProvider<TaskHandlerRegistry> registry) {
		return new TaskHandlerAnnotationBeanPostProcessor(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	PayloadCodec workerPayloadCodec(ObjectProvider<JsonMapper> jsonMapper) {
		// only the application's modules: its other settings must not change payloads or unique keys
		JsonMapper applicationMapper = jsonMapper.getIfAvailable();
		return PayloadCodec.withModules((applicationMapper != null) ? applicationMapper.registeredModules()
				: MapperBuilder.findModules());
	}

	@Bean
	@ConditionalOnMissingBean
	TaskSettingsResolver workerTaskSettingsResolver(WorkerProperties properties, TaskHandlerRegistry registry) {
		return new TaskSettingsResolver(WorkerSettings.taskDefaults(properties), WorkerSettings.taskOptions(properties),
				registry);
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerStats workerStats() {
		return new WorkerStats();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
	@ConditionalOnBean(TaskBackend.class)
	static class EnabledConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TaskClient workerTaskClient(TaskBackend backend, TaskSettingsResolver settings, PayloadCodec codec,
				ObjectProvider<TaskEventListener> listeners,
				WorkerProperties properties, ObjectProvider<Clock> clock,
				ObjectProvider<ObservationRegistry> observationRegistry,
				ObjectProvider<TaskEnqueueObservationConvention> observationConvention) {
			DefaultTaskClient client = new DefaultTaskClient(backend, settings, codec,
					new CompositeTaskEventListener(listeners.orderedStream().toList()),
					properties.getClient().getMaxPayloadSize().toBytes(), clock.getIfAvailable(Clock::systemUTC));
			client.setLimits(WorkerSettings.limits(properties));
			observationRegistry.ifAvailable(client::setObservationRegistry);
			client.setObservationConvention(observationConvention.getIfAvailable());
			return client;
		}

		@Bean
		@ConditionalOnMissingBean
		TaskInspector workerTaskInspector(TaskBackend backend) {
			return CapabilityCheckingTaskInspector.of(backend);
		}

		@Bean
		@ConditionalOnMissingBean
		ActiveTasks workerActiveTasks() {
			return new ActiveTasks();
		}

		@Bean
		RecoveryInterceptor workerRecoveryInterceptor() {
			return new RecoveryInterceptor();
		}

		@Bean
		MdcLoggingInterceptor workerMdcLoggingInterceptor() {
			return new MdcLoggingInterceptor();
		}

		@Bean
		TimeoutInterceptor workerTimeoutInterceptor(ObjectProvider<Clock> clock) {
			return new TimeoutInterceptor(clock.getIfAvailable(Clock::systemUTC));
		}

		@Bean
		@ConditionalOnMissingBean
		TaskExecutor workerTaskExecutor(TaskHandlerRegistry handlers, TaskSettingsResolver settings, PayloadCodec codec,
				ObjectProvider<TaskInterceptor> interceptors, ActiveTasks activeTasks,
				ObjectProvider<TaskEventListener> listeners, ObjectProvider<Clock> clock, WorkerProperties properties) {
			List<TaskInterceptor> chain = new ArrayList<>(interceptors.stream().toList());
			AnnotationAwareOrderComparator.sort(chain);
			TaskExecutor executor = new TaskExecutor(handlers, settings, codec, chain, activeTasks,
					new CompositeTaskEventListener(listeners.orderedStream().toList()),
					clock.getIfAvailable(Clock::systemUTC));
			executor.setLimits(WorkerSettings.limits(properties));
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(DisabledCondition.class)
	static class DisabledConfiguration {

		DisabledConfiguration(WorkerProperties properties, ObjectProvider<WorkerBackendUnavailable> unavailable) {
			// a backend was asked for and none was built: fail now rather than discard every task
			if (properties.isEnabled() && properties.getBackend() != Backend.NOOP) {
				String backend = properties.getBackend().name().toLowerCase(Locale.ROOT);
				throw new InvalidConfigurationPropertyValueException("worker.backend", backend,
						reason(backend, unavailable));
			}
		}

		@Bean
		@ConditionalOnMissingBean
		TaskClient workerTaskClient(WorkerProperties properties) {
			return new DisabledTaskClient(properties.isEnabled() ? "worker.backend=noop" : "worker.enabled=false");
		}

		@Bean
		@ConditionalOnMissingBean
		TaskInspector workerTaskInspector() {
			return new DisabledTaskInspector();
		}

		private static String reason(String backend, ObjectProvider<WorkerBackendUnavailable> unavailable) {
			return unavailable.orderedStream()
				.filter((candidate) -> candidate.backend().equals(backend))
				.map(WorkerBackendUnavailable::reason)
				.findFirst()
				.orElseGet(() -> "no auto-configuration provides the " + backend
						+ " backend in this version of Worker");
		}

	}

	/** Worker is switched off, or no backend bean exists (even one the application defined). */
	static final class DisabledCondition extends AnyNestedCondition {

		DisabledCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty(name = "worker.enabled", havingValue = false)
		static class WorkerDisabled {

		}

		@ConditionalOnMissingBean(TaskBackend.class)
		static class NoBackend {

		}

	}

}
