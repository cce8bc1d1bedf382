package io.worker.autoconfigure.dashboard;

import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard over real HTTP under Spring Security: unauthenticated requests are refused, a viewer
 * reads but gets 403 on an action, an operator acts with the CSRF token and is refused without it.
 */
class WorkerDashboardSecurityHttpTests {

	private static DashboardServer viewer;

	private static DashboardServer operator;

	private static DashboardServer anonymous;

	@BeforeAll
	static void start() {
		operator = new DashboardServer(App.class, WorkerDashboardSecurityHttpTests.class.getClassLoader())
			.as("olga", "secret");
		String base = operator.base;
		viewer = operator.sharing("vera", "secret");
		anonymous = operator.sharing(null, null);
		assertThat(viewer.base).isEqualTo(base);
	}

	@AfterAll
	static void stop() {
		operator.close();
	}

	@Test
	void unauthenticatedIsRefused() throws Exception {
		assertThat(anonymous.get("/").statusCode()).isEqualTo(401);
	}

	@Test
	void viewerReadsButCannotAct() throws Exception {
		operator.enqueue("v-1", "sec", "{}");
		operator.inspector().archiveTask("sec", "v-1");
		String page = viewer.get("/queues/sec?state=ARCHIVED").body();
		assertThat(page).contains("data-id=\"v-1\"").doesNotContain("data-test=\"run\"");
		assertThat(page).doesNotContain("<form class=\"action\"");
		assertThat(viewer.post("/queues/sec/tasks/v-1/run", "").statusCode()).isEqualTo(403);
		assertThat(operator.inspector().task("sec", "v-1")).get().extracting("state").isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void operatorActsWithTheCsrfTokenOnly() throws Exception {
		operator.enqueue("o-1", "sec", "{}");
		operator.inspector().archiveTask("sec", "o-1");
		assertThat(operator.post("/queues/sec/tasks/o-1/run", "").statusCode()).isEqualTo(403);
		String page = operator.get("/queues/sec?state=ARCHIVED").body();
		assertThat(page).contains("data-test=\"run\"");
		assertThat(operator.post("/queues/sec/tasks/o-1/run", DashboardServer.csrfField(page)).statusCode()).isEqualTo(303);
		assertThat(operator.inspector().task("sec", "o-1")).get().extracting("state").isEqualTo(TaskState.PENDING);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
			SecurityFilterAutoConfiguration.class, JacksonAutoConfiguration.class,
			WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
			WorkerDashboardAutoConfiguration.class })
	static class App {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("olga").password("{noop}secret").authorities("WORKER_OPERATOR").build(),
					User.withUsername("vera").password("{noop}secret").authorities("WORKER_VIEWER").build());
		}

	}

}
