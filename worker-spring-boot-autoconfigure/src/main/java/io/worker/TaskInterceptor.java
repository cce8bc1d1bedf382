package io.worker;

import org.jspecify.annotations.Nullable;

/**
 * Wraps every execution of a task handler, like a servlet filter wraps a request. Declare beans
 * of this type (ordered with {@link org.springframework.core.Ordered} or {@code @Order}) to add
 * cross-cutting behaviour; Worker's own recovery, MDC logging and timeout are interceptors too.
 */
@FunctionalInterface
public interface TaskInterceptor {

	/**
	 * Run around one attempt of a task.
	 * @param context the task being run
	 * @param chain the rest of the chain; call {@link Chain#proceed()} to run it
	 * @return the handler's result, or what this interceptor makes of it
	 * @throws Exception the attempt's failure
	 */
	@Nullable Object intercept(TaskContext context, Chain chain) throws Exception;

	/** The rest of the interceptor chain, ending with the handler itself. */
	@FunctionalInterface
	interface Chain {

		/**
		 * Run the next interceptor, or the handler.
		 * @return the handler's result
		 * @throws Exception the attempt's failure
		 */
		@Nullable Object proceed() throws Exception;

	}

}
