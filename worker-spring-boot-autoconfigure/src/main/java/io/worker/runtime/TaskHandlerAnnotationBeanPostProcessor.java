package io.worker.runtime;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.worker.TaskHandler;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link TaskHandler} methods on every bean and registers them, failing the bean's creation
 * with a clear message when a handler is invalid or its type already has one.
 */
public final class TaskHandlerAnnotationBeanPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<TaskHandlerRegistry> registry;

	private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();

	public TaskHandlerAnnotationBeanPostProcessor(ObjectProvider<TaskHandlerRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutHandlers.contains(targetClass)) {
			return bean;
		}
		Map<Method, TaskHandler> annotated = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<TaskHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, TaskHandler.class));
		if (annotated.isEmpty()) {
			this.classesWithoutHandlers.add(targetClass);
			return bean;
		}
		TaskHandlerRegistry handlers = this.registry.getObject();
		annotated.forEach((method, annotation) -> {
			try {
				Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
				handlers.register(TaskHandlerMethod.of(bean, invocable, annotation));
			}
			catch (IllegalStateException ex) {
				throw new BeanInitializationException("Invalid @TaskHandler in bean '" + beanName + "': "
						+ ex.getMessage(), ex);
			}
		});
		return bean;
	}

}
