package io.worker.runtime;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.MisfirePolicy;
import io.worker.Recurring;
import io.worker.Schedule;
import io.worker.TaskHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link Recurring} on {@link TaskHandler} methods and keeps the schedules they declare,
 * failing the bean's creation with a message naming the schedule when one is invalid (a bad cron
 * expression, zone, duration or payload, or {@code @Recurring} without {@code @TaskHandler}).
 */
public final class RecurringAnnotationBeanPostProcessor implements BeanPostProcessor {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Set<Class<?>> classesWithoutSchedules = ConcurrentHashMap.newKeySet();

	private final List<Schedule> schedules = new CopyOnWriteArrayList<>();

	/** The schedules found so far, in the order their beans were created. */
	public List<Schedule> schedules() {
		return List.copyOf(this.schedules);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutSchedules.contains(targetClass)) {
			return bean;
		}
		Map<Method, Set<Recurring>> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Set<Recurring>>) (method) -> {
					Set<Recurring> found = AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
							Recurring.class);
					return found.isEmpty() ? null : found;
				});
		if (annotated.isEmpty()) {
			this.classesWithoutSchedules.add(targetClass);
			return bean;
		}
		annotated.forEach((method, recurrings) -> {
			TaskHandler handler = AnnotatedElementUtils.findMergedAnnotation(method, TaskHandler.class);
			String where = "@Recurring on " + beanName + "." + method.getName();
			if (handler == null) {
				throw new BeanInitializationException(where + " needs @TaskHandler on the same method");
			}
			String type = StringUtils.hasText(handler.type()) ? handler.type() : handler.value();
			for (Recurring recurring : recurrings) {
				this.schedules.add(schedule(recurring, type, where));
			}
		});
		return bean;
	}

	private static Schedule schedule(Recurring recurring, String type, String where) {
		String name = StringUtils.hasText(recurring.name()) ? recurring.name() : type;
		try {
			Schedule.Builder b = Schedule.builder(name).task(type);
			if (StringUtils.hasText(recurring.cron()) == StringUtils.hasText(recurring.every())) {
				throw new IllegalArgumentException("set exactly one of cron and every");
			}
			if (StringUtils.hasText(recurring.cron())) {
				b.cron(recurring.cron());
			}
			else {
				b.every(AnnotationDurations.parse(recurring.every()));
			}
			if (StringUtils.hasText(recurring.zone())) {
				b.zone(zone(recurring.zone()));
			}
			if (StringUtils.hasText(recurring.payload())) {
				b.payload(payload(recurring.payload()));
			}
			b.queue(recurring.queue());
			b.misfire(switch (recurring.misfire()) {
				case SKIP -> MisfirePolicy.skip();
				case FIRE_ONCE -> MisfirePolicy.fireOnce(AnnotationDurations.parse(recurring.misfireGrace()));
				case CATCH_UP -> MisfirePolicy.catchUp(recurring.misfireMaxTicks());
			});
			b.overlap(recurring.overlap());
			Schedule schedule = b.build();
			ScheduleTicks.of(schedule);
			return schedule;
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new BeanInitializationException("Invalid schedule '" + name + "' (" + where + "): "
					+ ex.getMessage(), ex);
		}
	}

	private static ZoneId zone(String zone) {
		try {
			return ZoneId.of(zone);
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("invalid zone '" + zone + "': " + ex.getMessage(), ex);
		}
	}

	private static JsonNode payload(String json) {
		try {
			return JSON.readTree(json.getBytes(StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("payload is not JSON: " + ex.getMessage(), ex);
		}
	}

}
