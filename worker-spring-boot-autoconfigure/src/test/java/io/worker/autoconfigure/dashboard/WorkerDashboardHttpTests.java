package io.worker.autoconfigure.dashboard;

import java.net.http.HttpResponse;

import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.dashboard.web.DashboardRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard served over real HTTP without Spring Security, writable on loopback: pages and
 * assets under a strict Content-Security-Policy, payloads escaped, actions refused without the CSRF
 * token and carried out with it.
 */
class WorkerDashboardHttpTests {

	private static DashboardServer server;

	@BeforeAll
	static void start() {
		server = new DashboardServer(App.class, new FilteredClassLoader("org.springframework.security"),
				"worker.dashboard.read-only=false");
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void pagesAndAssetsCarryAStrictContentSecurityPolicy() throws Exception {
		server.enqueue("csp-1", "csp", "{}");
		for (String path : new String[] { "/", "/workers", "/search?q=csp-1", "/queues/csp", "/queues/csp/tasks/csp-1",
				"/schedules", "/assets/dashboard.css", "/assets/dashboard.js" }) {
			HttpResponse<String> response = server.get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
				.hasValue(DashboardRoutes.CONTENT_SECURITY_POLICY);
			assertThat(response.body()).as(path).doesNotContain("style=\"").doesNotContainPattern("<script(?! defer src=)");
		}
		assertThat(server.get("/assets/dashboard.css").headers().firstValue("Content-Type")).get().asString().startsWith("text/css");
		assertThat(server.get("/assets/../application.yaml").statusCode()).isIn(400, 404);
		assertThat(server.get("/search?q=csp-1").body()).contains("data-id=\"csp-1\"");
	}

	@Test
	void scriptPayloadIsShownAsText() throws Exception {
		server.enqueue("xss-1", "xss", "\"<script>alert(1)</script>\"");
		String page = server.get("/queues/xss/tasks/xss-1").body();
		assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
	}

	@Test
	void actionWithoutTheCsrfTokenIsRefusedAndWithItRunsTheArchivedTask() throws Exception {
		server.enqueue("act-1", "act", "{}");
		server.inspector().archiveTask("act", "act-1");
		assertThat(server.post("/queues/act/tasks/act-1/run", "").statusCode()).isEqualTo(403);
		assertThat(server.post("/queues/act/tasks/act-1/run", "_worker_csrf=forged").statusCode()).isEqualTo(403);
		assertThat(server.inspector().task("act", "act-1")).get().extracting("state").isEqualTo(TaskState.ARCHIVED);
		String page = server.get("/queues/act?state=ARCHIVED").body();
		HttpResponse<String> response = server.post("/queues/act/tasks/act-1/run", DashboardServer.csrfField(page));
		assertThat(response.statusCode()).isEqualTo(303);
		assertThat(server.inspector().task("act", "act-1")).get().extracting("state").isEqualTo(TaskState.PENDING);
	}

	@Test
	void unknownTaskIsNotFound() throws Exception {
		assertThat(server.get("/queues/none/tasks/missing").statusCode()).isEqualTo(404);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class, WorkerMemoryBackendAutoConfiguration.class,
			WorkerAutoConfiguration.class, WorkerDashboardAutoConfiguration.class })
	static class App {

	}

}
