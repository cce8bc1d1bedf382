package io.worker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a method of a Spring bean as the handler of one task type.
 * <p>
 * The method takes the payload (any type Jackson can read: a record, a POJO, a {@code Map},
 * a {@code String}, a {@code byte[]}) and, optionally, a {@link TaskContext}, in any order. Its
 * return value, if any, is stored as the task's result. A thrown exception fails the attempt: the
 * task is retried with backoff until its retries are used up, then archived.
 *
 * <pre class="code">
 * &#64;TaskHandler(value = "email:welcome", queue = "critical", maxRetries = 5, timeout = "30s")
 * void sendWelcome(WelcomeEmail email, TaskContext context) { ... }
 * </pre>
 *
 * Properties under {@code worker.tasks.<type>.*} override every attribute but the type.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskHandler {

	/** Alias for {@link #type()}. */
	@AliasFor("type")
	String value() default "";

	/** The task type this method handles, for example {@code "email:send"}. */
	@AliasFor("value")
	String type() default "";

	/** The queue tasks of this type go to when the enqueuer names none; empty for {@code default}. */
	String queue() default "";

	/** How many times a failed task is retried; negative means the configured default. */
	int maxRetries() default -1;

	/** How long one attempt may run, as a duration such as {@code "30s"} or {@code "PT1M"}; empty for the default. */
	String timeout() default "";

	/** Only these exceptions (and their subclasses) are retried; empty means every exception. */
	Class<? extends Throwable>[] retryOn() default {};

	/** These exceptions (and their subclasses) archive the task at once, without retry. */
	Class<? extends Throwable>[] noRetryFor() default {};

}
