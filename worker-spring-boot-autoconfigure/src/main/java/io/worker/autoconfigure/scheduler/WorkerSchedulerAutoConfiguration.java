package io.worker.autoconfigure.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.worker.RecurringTasks;
import io.worker.Schedule;
import io.worker.TaskClient;
import io.worker.TaskInspector;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.metrics.ScheduleMetrics;
import io.worker.runtime.DefaultRecurringTasks;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.RecurringAnnotationBeanPostProcessor;
import io.worker.runtime.RecurringTaskScheduler;
import io.worker.runtime.ScheduleEventListener;
import io.worker.runtime.SchedulerSettings;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} of recurring tasks: the {@link RecurringTasks} bean
 * over the backend's schedule store, the {@code @Recurring} scan, and the scheduler that fires each
 * tick once across every instance ({@code worker.scheduler.enabled: false} leaves it off here).
 * Schedules under {@code worker.scheduler.schedules} are checked at startup.
 */
@AutoConfiguration(after = { WorkerAutoConfiguration.class, WorkerServerAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WorkerSchedulerProperties.class)
public final class WorkerSchedulerAutoConfiguration {

	private final List<Schedule> propertySchedules;

	WorkerSchedulerAutoConfiguration(WorkerSchedulerProperties properties, Environment environment) {
		this.propertySchedules = PropertySchedules.of(properties, Binder.get(environment));
		if (properties.getInterval().isNegative() || properties.getInterval().isZero()) {
			throw new InvalidConfigurationPropertyValueException("worker.scheduler.interval",
					properties.getInterval(), "must be positive");
		}
		if (properties.getMisfireThreshold().compareTo(properties.getInterval()) < 0) {
			throw new InvalidConfigurationPropertyValueException("worker.scheduler.misfire-threshold",
					properties.getMisfireThreshold(), "must be at least worker.scheduler.interval");
		}
		if (properties.getHistorySize() < 1) {
			throw new InvalidConfigurationPropertyValueException("worker.scheduler.history-size",
					properties.getHistorySize(), "must be at least 1");
		}
	}

	@Bean
	static RecurringAnnotationBeanPostProcessor workerRecurringAnnotationBeanPostProcessor() {
		return new RecurringAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnBean({ TaskBackend.class, TaskClient.class, TaskInspector.class })
	@ConditionalOnMissingBean(RecurringTasks.class)
	DefaultRecurringTasks workerRecurringTasks(TaskBackend backend, TaskClient client, TaskInspector inspector,
			PayloadCodec codec, WorkerSchedulerProperties properties, ObjectProvider<Clock> clock) {
		return new DefaultRecurringTasks(backend, client, inspector, codec, clock.getIfAvailable(Clock::systemUTC),
				properties.getHistorySize());
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "worker.scheduler.enabled", matchIfMissing = true)
	@ConditionalOnBean(DefaultRecurringTasks.class)
	@ConditionalOnMissingBean
	RecurringTaskScheduler workerRecurringTaskScheduler(DefaultRecurringTasks tasks,
			RecurringAnnotationBeanPostProcessor annotations, WorkerSchedulerProperties properties,
			ObjectProvider<ScheduleEventListener> listeners, ObjectProvider<Clock> clock) {
		List<ScheduleEventListener> all = listeners.orderedStream().toList();
		ScheduleEventListener composite = new ScheduleEventListener() {

			@Override
			public void fired(String schedule, Instant tick, Duration lateness, boolean misfired) {
				all.forEach((listener) -> listener.fired(schedule, tick, lateness, misfired));
			}

			@Override
			public void skipped(String schedule, SkipReason reason, long ticks) {
				all.forEach((listener) -> listener.skipped(schedule, reason, ticks));
			}

		};
		return new RecurringTaskScheduler(tasks, () -> declared(annotations), composite,
				clock.getIfAvailable(Clock::systemUTC), new SchedulerSettings(properties.getInterval(),
						properties.getMisfireThreshold(), properties.getHistorySize()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ScheduleMetrics workerScheduleMetrics(MeterRegistry registry) {
			return new ScheduleMetrics(registry);
		}

	}

	/** The declared schedules: a property schedule replaces an annotated one of the same name. */
	private List<Schedule> declared(RecurringAnnotationBeanPostProcessor annotations) {
		Map<String, Schedule> byName = new LinkedHashMap<>();
		annotations.schedules().forEach((schedule) -> byName.put(schedule.name(), schedule));
		this.propertySchedules.forEach((schedule) -> byName.put(schedule.name(), schedule));
		return new ArrayList<>(byName.values());
	}

}
