package io.worker.autoconfigure.dashboard;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.dashboard.Dashboard;
import io.worker.dashboard.Throughput;
import io.worker.dashboard.Viewer;
import io.worker.dashboard.web.AnonymousDashboardAccess;
import io.worker.dashboard.web.DashboardAccess;
import io.worker.dashboard.web.SecurityDashboardAccess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WorkerDashboardAutoConfiguration}: each of its conditions.
 */
class WorkerDashboardAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(JacksonAutoConfiguration.class,
			WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
			WorkerDashboardAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("worker.server.enabled=false", "worker.dashboard.enabled=true");

	@Test
	void servedWhenEnabledUnderSpringSecurity() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(Dashboard.class)
			.hasSingleBean(Throughput.class)
			.hasBean("workerDashboardRouterFunction")
			.getBean(DashboardAccess.class)
			.isInstanceOf(SecurityDashboardAccess.class));
	}

	@Test
	void listsTheConfiguredPageSize() {
		this.contextRunner.withPropertyValues("worker.limits.dashboard-page-size=3").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			for (int i = 0; i < 5; i++) {
				client.enqueue(Task.of("paged", "p-" + i).queue("paged"));
			}
			String page = context.getBean(Dashboard.class).queue("paged", TaskState.PENDING, 0, Viewer.READ_ONLY, false);
			assertThat(page.split("<tr data-test=\"task-row\"", -1)).hasSize(3 + 1);
			assertThat(page).contains("page=1\">next</a>");
		});
	}

	@Test
	void defaultPageSizeStaysWithinALowerMaxPageSize() {
		this.contextRunner.withPropertyValues("worker.limits.max-page-size=2").run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			for (int i = 0; i < 3; i++) {
				client.enqueue(Task.of("paged", "p-" + i).queue("paged"));
			}
			String page = context.getBean(Dashboard.class).queue("paged", TaskState.PENDING, 0, Viewer.READ_ONLY, false);
			assertThat(page.split("<tr data-test=\"task-row\"", -1)).hasSize(2 + 1);
		});
	}

	@Test
	void offUnlessEnabled() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).doesNotHaveBean(Dashboard.class).doesNotHaveBean(RouterFunction.class));
	}

	@Test
	void absentOutsideAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("worker.dashboard.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(Dashboard.class));
	}

	@Test
	void refusedInAWebFluxApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerDashboardAutoConfiguration.class,
					WorkerDashboardReactiveAutoConfiguration.class))
			.withPropertyValues("worker.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("needs Spring MVC"));
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerDashboardReactiveAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void absentWithoutSpringMvc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).doesNotHaveBean(Dashboard.class));
	}

	@Test
	void absentWithoutBackend() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkerDashboardAutoConfiguration.class))
			.withPropertyValues("worker.dashboard.enabled=true", "worker.backend=noop")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Dashboard.class));
	}

	@Test
	void readOnlyWithoutSpringSecurityByDefault() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).getBean(DashboardAccess.class)
				.isInstanceOf(AnonymousDashboardAccess.class)
				.satisfies((access) -> assertThat(access.canAct(null)).isFalse()));
	}

	@Test
	void refusesToStartWritableAndUnauthenticatedOnEveryInterface() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("worker.dashboard.read-only=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("worker.dashboard.allow-unauthenticated-remote")
				.hasMessageContaining("every interface"));
	}

	@Test
	void refusesToStartWritableAndUnauthenticatedOnANonLoopbackAddress() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("worker.dashboard.read-only=false", "server.address=192.0.2.1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("192.0.2.1"));
	}

	@Test
	void writableAndUnauthenticatedOnLoopbackOrWhenAllowed() {
		ApplicationContextRunnerAssert.writable(this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("worker.dashboard.read-only=false", "server.address=127.0.0.1"));
		ApplicationContextRunnerAssert.writable(this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("worker.dashboard.read-only=false", "worker.dashboard.allow-unauthenticated-remote=true"));
	}

	@Test
	void backsOffToTheApplicationsAccess() {
		this.contextRunner.withBean(DashboardAccess.class, () -> new AnonymousDashboardAccess(false))
			.run((context) -> assertThat(context).getBean(DashboardAccess.class).isInstanceOf(AnonymousDashboardAccess.class));
	}

	@Test
	void refusesTheRootPath() {
		this.contextRunner.withPropertyValues("worker.dashboard.path=/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("worker.dashboard.path"));
	}

	private static final class ApplicationContextRunnerAssert {

		static void writable(WebApplicationContextRunner runner) {
			runner.run((context) -> assertThat(context).hasNotFailed()
				.getBean(DashboardAccess.class)
				.satisfies((access) -> assertThat(access.canAct(null)).isTrue()));
		}

	}

}
