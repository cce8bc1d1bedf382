package io.worker.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;

import io.worker.TaskContext;
import io.worker.TaskHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * One {@link TaskHandler} method bound to its bean: reads the payload into the method's parameter
 * type and invokes it.
 */
public final class TaskHandlerMethod {

	private final String type;

	private final Object bean;

	private final Method method;

	private final int payloadIndex;

	private final int contextIndex;

	private final HandlerSettings settings;

	private TaskHandlerMethod(String type, Object bean, Method method, int payloadIndex, int contextIndex,
			HandlerSettings settings) {
		this.type = type;
		this.bean = bean;
		this.method = method;
		this.payloadIndex = payloadIndex;
		this.contextIndex = contextIndex;
		this.settings = settings;
	}

	/**
	 * Check a method's signature and annotation and bind it to its bean.
	 * @throws IllegalStateException naming the method when its signature is not supported
	 */
	public static TaskHandlerMethod of(Object bean, Method method, TaskHandler annotation) {
		String where = method.getDeclaringClass().getName() + "." + method.getName();
		String type = StringUtils.hasText(annotation.type()) ? annotation.type() : annotation.value();
		if (!StringUtils.hasText(type)) {
			throw new IllegalStateException("@TaskHandler on " + where + " must name a task type");
		}
		if (Modifier.isStatic(method.getModifiers())) {
			throw new IllegalStateException("@TaskHandler method " + where + " must not be static");
		}
		int payloadIndex = -1;
		int contextIndex = -1;
		Class<?>[] parameterTypes = method.getParameterTypes();
		for (int i = 0; i < parameterTypes.length; i++) {
			if (parameterTypes[i] == TaskContext.class && contextIndex < 0) {
				contextIndex = i;
			}
			else if (payloadIndex < 0 && parameterTypes[i] != TaskContext.class) {
				payloadIndex = i;
			}
			else {
				throw new IllegalStateException("@TaskHandler method " + where + " has an unsupported signature: "
						+ "it may take one payload parameter and one TaskContext, in any order");
			}
		}
		ReflectionUtils.makeAccessible(method);
		return new TaskHandlerMethod(type, bean, method, payloadIndex, contextIndex, settingsOf(annotation, where));
	}

	private static HandlerSettings settingsOf(TaskHandler annotation, String where) {
		Duration timeout = null;
		if (StringUtils.hasText(annotation.timeout())) {
			try {
				timeout = AnnotationDurations.parse(annotation.timeout());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("@TaskHandler on " + where + " has an invalid timeout '"
						+ annotation.timeout() + "'", ex);
			}
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalStateException("@TaskHandler on " + where + " must have a positive timeout");
			}
		}
		return new HandlerSettings(StringUtils.hasText(annotation.queue()) ? annotation.queue() : null,
				(annotation.maxRetries() >= 0) ? annotation.maxRetries() : null, timeout,
				List.of(annotation.retryOn()), List.of(annotation.noRetryFor()));
	}

	/** The task type. */
	public String type() {
		return this.type;
	}

	/** What the annotation sets. */
	public HandlerSettings settings() {
		return this.settings;
	}

	/** A description for messages: bean class and method. */
	public String description() {
		return this.method.getDeclaringClass().getName() + "." + this.method.getName();
	}

	/**
	 * Read the payload and invoke the method.
	 * @return the method's return value
	 * @throws PayloadBindingException when the payload does not fit the parameter type
	 * @throws Exception what the method throws
	 */
	public @Nullable Object invoke(byte[] payload, TaskContext context, PayloadCodec codec) throws Exception {
		Object[] args = new Object[this.method.getParameterCount()];
		if (this.payloadIndex >= 0) {
			Type payloadType = this.method.getGenericParameterTypes()[this.payloadIndex];
			args[this.payloadIndex] = codec.read(payload, payloadType);
		}
		if (this.contextIndex >= 0) {
			args[this.contextIndex] = context;
		}
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			throw (Error) target;
		}
	}

	/** Whether the method returns a result worth storing. */
	public boolean returnsResult() {
		return this.method.getReturnType() != void.class && this.method.getReturnType() != Void.class;
	}

	/**
	 * What a {@link TaskHandler} annotation sets, {@code null} where it sets nothing.
	 *
	 * @param queue the queue
	 * @param maxRetries the retries
	 * @param timeout the timeout
	 * @param retryOn the only exceptions retried, empty for all
	 * @param noRetryFor the exceptions never retried
	 */
	public record HandlerSettings(@Nullable String queue, @Nullable Integer maxRetries, @Nullable Duration timeout,
			List<Class<? extends Throwable>> retryOn, List<Class<? extends Throwable>> noRetryFor) {
	}

}
