package io.worker.autoconfigure.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;

import io.worker.RecurringTasks;
import io.worker.TaskInspector;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerProperties;
import io.worker.autoconfigure.scheduler.WorkerSchedulerAutoConfiguration;
import io.worker.dashboard.Dashboard;
import io.worker.dashboard.PayloadRedaction;
import io.worker.dashboard.PayloadRedactor;
import io.worker.dashboard.Throughput;
import io.worker.dashboard.web.AnonymousDashboardAccess;
import io.worker.dashboard.web.DashboardAccess;
import io.worker.dashboard.web.DashboardRoutes;
import io.worker.dashboard.web.SecurityDashboardAccess;
import io.worker.spi.TaskBackend;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@link AutoConfiguration Auto-configuration} of the web dashboard, served by the application's own
 * Spring MVC server at {@code worker.dashboard.path} when {@code worker.dashboard.enabled} is set.
 */
@AutoConfiguration(after = { WorkerAutoConfiguration.class, WorkerSchedulerAutoConfiguration.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("worker.dashboard.enabled")
@ConditionalOnBean(TaskBackend.class)
@EnableConfigurationProperties(WorkerDashboardProperties.class)
public final class WorkerDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Throughput workerDashboardThroughput(ObjectProvider<Clock> clock) {
		return new Throughput(clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	Dashboard workerDashboard(TaskInspector inspector, TaskBackend backend, ObjectProvider<RecurringTasks> recurringTasks,
			WorkerDashboardProperties properties, ObjectProvider<PayloadRedaction> redaction, Throughput throughput,
			ObjectProvider<Clock> clock, Environment environment) {
		PayloadRedactor redactor = new PayloadRedactor(JsonMapper.builder().build(), properties.getMaskedFields(),
				redaction.getIfAvailable(() -> (payload) -> payload));
		return new Dashboard(inspector, backend.capabilities(), recurringTasks.getIfAvailable(), base(properties),
				redactor, throughput, properties.getSearchScanLimit(), pageSize(environment),
				clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	RouterFunction<ServerResponse> workerDashboardRouterFunction(Dashboard dashboard, DashboardAccess access,
			WorkerDashboardProperties properties) {
		return new DashboardRoutes(dashboard, access, base(properties)).routerFunction();
	}

	/**
	 * worker.limits.* belongs to the core properties, validated there; bound here with the same default.
	 */
	private static int pageSize(Environment environment) {
		return Binder.get(environment)
			.bind("worker.limits", WorkerProperties.Limits.class)
			.orElseGet(WorkerProperties.Limits::new)
			.dashboardPageSize();
	}

	static String base(WorkerDashboardProperties properties) {
		String path = properties.getPath().strip();
		if (!path.startsWith("/")) {
			throw new IllegalArgumentException("worker.dashboard.path must start with '/', was '" + path + "'");
		}
		while (path.endsWith("/")) {
			path = path.substring(0, path.length() - 1);
		}
		if (path.isEmpty()) {
			throw new IllegalArgumentException("worker.dashboard.path must not be the root: the dashboard needs a path of its own");
		}
		return path;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.security.core.context.SecurityContextHolder",
			"org.springframework.security.web.csrf.CsrfToken" })
	static class SecuredConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DashboardAccess workerDashboardAccess(WorkerDashboardProperties properties) {
			return new SecurityDashboardAccess(properties.getViewerAuthority(), properties.getOperatorAuthority());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.web.csrf.CsrfToken")
	static class UnsecuredConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DashboardAccess workerDashboardAccess(WorkerDashboardProperties properties, Environment environment) {
			boolean writable = !properties.isReadOnly();
			if (writable && !properties.isAllowUnauthenticatedRemote()) {
				String address = environment.getProperty("server.address");
				if (!isLoopback(address)) {
					throw new IllegalStateException("worker.dashboard.read-only is false and Spring Security is absent, so "
							+ "anyone who reaches the server could act on tasks, and the server listens on "
							+ ((address != null) ? address : "every interface (server.address is not set)")
							+ ". Add Spring Security, set server.address to a loopback address, or set "
							+ "worker.dashboard.allow-unauthenticated-remote: true to accept this.");
				}
			}
			return new AnonymousDashboardAccess(writable);
		}

		private static boolean isLoopback(String address) {
			if (address == null || address.isBlank()) {
				return false;
			}
			try {
				return InetAddress.getByName(address).isLoopbackAddress();
			}
			catch (UnknownHostException ex) {
				return false;
			}
		}

	}

}
