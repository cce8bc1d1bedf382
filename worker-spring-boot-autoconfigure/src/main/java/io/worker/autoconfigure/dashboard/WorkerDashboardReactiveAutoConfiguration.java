package io.worker.autoconfigure.dashboard;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link AutoConfiguration Auto-configuration} that refuses {@code worker.dashboard.enabled} in a
 * Spring WebFlux application: the dashboard is served by Spring MVC only, and a dashboard asked for
 * must not silently be missing.
 */
@AutoConfiguration
@Conditional(WorkerDashboardReactiveAutoConfiguration.ReactiveWebApplication.class)
@ConditionalOnBooleanProperty("worker.dashboard.enabled")
public final class WorkerDashboardReactiveAutoConfiguration {

	WorkerDashboardReactiveAutoConfiguration() {
		throw new IllegalStateException("worker.dashboard.enabled is true, but this is a Spring WebFlux application"
				+ " and the Worker dashboard needs Spring MVC. Remove worker.dashboard.enabled here, or serve the"
				+ " dashboard from a Spring MVC application on the same backend.");
	}

	/**
	 * A reactive web application context, whatever the classpath: unlike
	 * {@code @ConditionalOnWebApplication(type = REACTIVE)} it needs no WebFlux class to be present.
	 */
	static final class ReactiveWebApplication implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return context.getResourceLoader() instanceof ReactiveWebApplicationContext;
		}

	}

}
