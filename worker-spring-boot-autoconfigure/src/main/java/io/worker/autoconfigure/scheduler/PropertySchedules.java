package io.worker.autoconfigure.scheduler;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.worker.MisfirePolicy;
import io.worker.Schedule;
import io.worker.autoconfigure.scheduler.WorkerSchedulerProperties.Misfire;
import io.worker.runtime.DefaultRecurringTasks;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The schedules of {@code worker.scheduler.schedules}, each checked so that a bad one fails
 * startup with the property that is wrong.
 */
final class PropertySchedules {

	private static final String PREFIX = "worker.scheduler.schedules.";

	private PropertySchedules() {
	}

	static List<Schedule> of(WorkerSchedulerProperties properties, Binder binder) {
		List<Schedule> schedules = new ArrayList<>();
		properties.getSchedules().forEach((name, declared) -> schedules.add(schedule(name, declared, binder)));
		return schedules;
	}

	/** A scalar payload binds to {@code Object}; a structured one (a YAML map or list) binds here. */
	private static @Nullable Object payload(String name, WorkerSchedulerProperties.Schedule declared, Binder binder) {
		if (declared.getPayload() != null) {
			return declared.getPayload();
		}
		String property = PREFIX + name + ".payload";
		Object map = binder.bind(property, Bindable.mapOf(String.class, Object.class)).orElse(null);
		return (map != null) ? map : binder.bind(property, Bindable.listOf(Object.class)).orElse(null);
	}

	private static Schedule schedule(String name, WorkerSchedulerProperties.Schedule declared, Binder binder) {
		String prefix = PREFIX + name + ".";
		Schedule.Builder b = check(prefix + "name", name, () -> Schedule.builder(name));
		if ((declared.getCron() == null) == (declared.getEvery() == null)) {
			throw new InvalidConfigurationPropertyValueException(prefix + "cron", declared.getCron(),
					"Schedule '" + name + "' needs exactly one of cron and every");
		}
		if (declared.getCron() != null) {
			check(prefix + "cron", declared.getCron(), () -> b.cron(declared.getCron()));
		}
		else {
			check(prefix + "every", declared.getEvery(), () -> b.every(declared.getEvery()));
		}
		check(prefix + "zone", declared.getZone(), () -> b.zone(zone(name, declared.getZone())));
		if (declared.getTask() == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "task", null,
					"Schedule '" + name + "' needs a task type");
		}
		check(prefix + "task", declared.getTask(), () -> b.task(declared.getTask()));
		b.payload(payload(name, declared, binder)).queue(declared.getQueue());
		check(prefix + "max-retries", declared.getMaxRetries(), () -> b.maxRetries(declared.getMaxRetries()));
		check(prefix + "timeout", declared.getTimeout(), () -> b.timeout(declared.getTimeout()));
		Misfire misfire = declared.getMisfire();
		check(prefix + "misfire", misfire.getPolicy(), () -> b.misfire(switch (misfire.getPolicy()) {
			case SKIP -> MisfirePolicy.skip();
			case FIRE_ONCE -> MisfirePolicy.fireOnce(misfire.getGrace());
			case CATCH_UP -> MisfirePolicy.catchUp(misfire.getMaxTicks());
		}));
		b.enabled(declared.isEnabled()).overlap(declared.getOverlap());
		Schedule schedule = b.build();
		check(prefix + "cron", declared.getCron(), () -> {
			DefaultRecurringTasks.checkExpression(schedule);
			return schedule;
		});
		return schedule;
	}

	private static ZoneId zone(String name, String zone) {
		try {
			return ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("Schedule '" + name + "' has an invalid zone '" + zone + "': "
					+ ex.getMessage(), ex);
		}
	}

	private static <T> T check(String property, Object value, java.util.function.Supplier<T> step) {
		try {
			return step.get();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, ex.getMessage());
		}
	}

}
