package io.worker.sample.dashboard;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's dashboard behind Spring Security, which the sample itself does not use: a viewer
 * reads and cannot act, an operator acts, and neither acts without the CSRF token. Runs in the
 * {@code spring-security} surefire execution, the only one with Spring Security on its classpath.
 */
@Tag("spring-security")
@Import(SecuredSample.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "worker.queues.e2e-secured.weight=1")
class DashboardSecurityTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Test
	void aViewerReadsButCannotAct() throws Exception {
		Session viewer = new Session("viewer");
		HttpResponse<String> page = viewer.get("/worker/queues/e2e-secured");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("data-test=\"queue-state\"").doesNotContain("data-test=\"pause\"");
		HttpResponse<String> pause = viewer.post("/worker/queues/e2e-secured/pause", viewer.csrfToken());
		assertThat(pause.statusCode()).isEqualTo(403);
		assertThat(pause.body()).contains("operator authority");
		assertThat(viewer.get("/worker/queues/e2e-secured").body()).contains("Running");
	}

	@Test
	void anOperatorActsOnlyWithTheCsrfToken() throws Exception {
		Session operator = new Session("operator");
		// refused by Spring Security's CsrfFilter, which runs before basic authentication: 401, not 403
		assertThat(operator.post("/worker/queues/e2e-secured/pause", null).statusCode()).isIn(401, 403);
		assertThat(operator.get("/worker/queues/e2e-secured").body()).contains("Running");
		assertThat(operator.post("/worker/queues/e2e-secured/pause", operator.csrfToken()).statusCode()).isEqualTo(303);
		assertThat(operator.get("/worker/queues/e2e-secured").body()).contains("Paused");
		assertThat(operator.post("/worker/queues/e2e-secured/resume", operator.csrfToken()).statusCode()).isEqualTo(303);
	}

	@Test
	void anUnknownUserCannotRead() throws Exception {
		HttpResponse<String> page = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/worker/"))).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(401);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	/** One user's HTTP session: basic authentication, the session cookie and its CSRF token. */
	private final class Session {

		private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

		private final String authorization;

		Session(String user) {
			this.authorization = "Basic "
					+ Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
		}

		HttpResponse<String> get(String path) throws Exception {
			return this.client.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", this.authorization)
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		// the login page renders the session's token, also for a user whose dashboard shows no form
		String csrfToken() throws Exception {
			Matcher matcher = CSRF.matcher(get("/login").body());
			assertThat(matcher.find()).as("a CSRF token on /login").isTrue();
			return matcher.group(1);
		}

		HttpResponse<String> post(String path, String csrfToken) throws Exception {
			String body = (csrfToken != null) ? "_csrf=" + csrfToken : "";
			return this.client.send(HttpRequest.newBuilder(URI.create(url(path)))
				.header("Authorization", this.authorization)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

}
