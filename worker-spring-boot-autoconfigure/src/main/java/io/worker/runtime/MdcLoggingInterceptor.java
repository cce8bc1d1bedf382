package io.worker.runtime;

import io.worker.TaskContext;
import io.worker.TaskInterceptor;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.Ordered;

/**
 * Puts {@code task_id}, {@code task_type} and {@code queue} in the logging MDC while a task runs,
 * so that every line a handler logs says which task it belongs to.
 */
public final class MdcLoggingInterceptor implements TaskInterceptor, Ordered {

	/** Runs just inside {@link RecoveryInterceptor}. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	@Override
	public @Nullable Object intercept(TaskContext context, Chain chain) throws Exception {
		try (MDC.MDCCloseable id = MDC.putCloseable("task_id", context.taskId());
				MDC.MDCCloseable type = MDC.putCloseable("task_type", context.type());
				MDC.MDCCloseable queue = MDC.putCloseable("queue", context.queue())) {
			return chain.proceed();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
