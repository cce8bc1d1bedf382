package io.worker.runtime;

import io.worker.TaskContext;
import io.worker.TaskInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Turns an {@link Error} thrown by a handler or an interceptor (a stack overflow, a linkage error,
 * an assertion) into a failed attempt, so that it is retried or archived like any failure instead
 * of killing the worker thread. Outermost in the chain.
 */
public final class RecoveryInterceptor implements TaskInterceptor, Ordered {

	@Override
	public @Nullable Object intercept(TaskContext context, Chain chain) throws Exception {
		try {
			return chain.proceed();
		}
		catch (Exception ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new HandlerErrorException(ex);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/** An {@link Error} raised while running a task. */
	public static final class HandlerErrorException extends RuntimeException {

		HandlerErrorException(Throwable error) {
			super(error.getClass().getName() + ": " + error.getMessage(), error);
		}

	}

}
