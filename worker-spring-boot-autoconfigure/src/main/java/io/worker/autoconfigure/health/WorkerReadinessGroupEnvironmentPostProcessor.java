package io.worker.autoconfigure.health;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Puts the {@code worker} health contributor in the readiness group, not liveness: a broker
 * outage takes the instance out of load balancing but must not get it restarted. Boot reads group
 * membership only from properties, so this adds, as the last property source,
 * {@code management.endpoint.health.group.readiness.include=readinessState,worker}: never when the
 * application configures the readiness group's members itself, and only when both contributors
 * will exist (Boot refuses to start with a group member that does not).
 */
public final class WorkerReadinessGroupEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "workerReadinessGroup";

	private static final String GROUP = "management.endpoint.health.group.readiness";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent("org.springframework.boot.health.contributor.HealthIndicator",
				application.getClassLoader()) || !workerHealthExpected(environment)) {
			return;
		}
		Binder binder = Binder.get(environment);
		if (binder.bind(GROUP + ".include", Bindable.listOf(String.class)).isBound()
				|| binder.bind(GROUP + ".exclude", Bindable.listOf(String.class)).isBound()) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of(GROUP + ".include", "readinessState,worker")));
	}

	/** The same conditions as the readiness state indicator's and the worker indicator's. */
	private static boolean workerHealthExpected(ConfigurableEnvironment environment) {
		boolean defaults = environment.getProperty("management.health.defaults.enabled", Boolean.class, true);
		return environment.getProperty("management.endpoint.health.probes.enabled", Boolean.class, true)
				&& environment.getProperty("management.health.worker.enabled", Boolean.class, defaults)
				&& environment.getProperty("worker.enabled", Boolean.class, true)
				&& !"noop".equalsIgnoreCase(environment.getProperty("worker.backend", "memory"));
	}

	@Override
	public int getOrder() {
		// after the application's own configuration has been loaded
		return Ordered.LOWEST_PRECEDENCE;
	}

}
