package io.worker.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.worker.TaskContext;
import io.worker.TaskInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Runs each attempt inside a {@link TaskObservationDocumentation#PROCESS} observation whose parent
 * is the trace context read from the task's headers, so that the handler's logs and spans belong
 * to the trace that enqueued it.
 */
public final class ObservationTaskInterceptor implements TaskInterceptor, Ordered {

	/**
	 * Just inside MDC logging ({@code HIGHEST_PRECEDENCE + 10}) and outside the timeout (+20): the
	 * handler and every interceptor a user adds run in the observation's scope.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 15;

	private final ObservationRegistry registry;

	private final @Nullable TaskProcessObservationConvention convention;

	/**
	 * @param convention replaces the default convention, or {@code null}
	 */
	public ObservationTaskInterceptor(ObservationRegistry registry,
			@Nullable TaskProcessObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public @Nullable Object intercept(TaskContext task, Chain chain) throws Exception {
		TaskProcessObservationContext context = new TaskProcessObservationContext(task);
		Observation observation = TaskObservationDocumentation.PROCESS
			.observation(this.convention, DefaultTaskProcessObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			Object result = chain.proceed();
			context.setOutcome("success");
			return result;
		}
		catch (Throwable ex) {
			context.setOutcome("failure");
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
