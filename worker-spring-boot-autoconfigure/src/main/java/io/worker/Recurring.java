package io.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a schedule that enqueues the task of the {@link TaskHandler} method it is on.
 *
 * <pre class="code">
 * &#64;TaskHandler("report:user-activity")
 * &#64;Recurring(cron = "0 0 6 * * MON", zone = "Europe/Berlin", payload = "{\"days\": 7}")
 * void report(ActivityReportRequest request) { ... }
 * </pre>
 *
 * A schedule declared under {@code worker.scheduler.schedules.<name>} with the same name wins.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(Recurring.List.class)
public @interface Recurring {

	/** The Spring cron expression (six fields, seconds first); empty when {@link #every()} is set. */
	String cron() default "";

	/** A fixed rate as a duration such as {@code "30s"} or {@code "PT5M"}; empty when {@link #cron()} is set. */
	String every() default "";

	/** The zone of the cron expression, such as {@code "Europe/Berlin"}; empty for UTC. */
	String zone() default "";

	/** The schedule's name; empty for the task type. */
	String name() default "";

	/** The payload of each tick's task as JSON text; empty for none. */
	String payload() default "";

	/** The queue of each tick's task; empty for the handler's queue. */
	String queue() default "";

	/** What to do with missed ticks. */
	MisfirePolicy.Kind misfire() default MisfirePolicy.Kind.SKIP;

	/** For {@link MisfirePolicy.Kind#FIRE_ONCE}, how old the latest missed tick may be, such as {@code "1h"}. */
	String misfireGrace() default "";

	/** For {@link MisfirePolicy.Kind#CATCH_UP}, the most missed ticks fired. */
	int misfireMaxTicks() default 1;

	/** Whether a tick fires while the previous tick's task has not finished. */
	OverlapPolicy overlap() default OverlapPolicy.ALLOW;

	/** Several schedules on one handler. */
	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@interface List {

		Recurring[] value();

	}

}
