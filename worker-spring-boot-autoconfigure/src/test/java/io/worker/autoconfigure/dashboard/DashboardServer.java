package io.worker.autoconfigure.dashboard;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.worker.TaskInspector;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import io.worker.spi.TaskStore;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * A real application with the dashboard on a random port, and an HTTP client with its own cookies.
 */
final class DashboardServer implements AutoCloseable {

	private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">");

	final ConfigurableApplicationContext context;

	final String base;

	private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	private String authorization;

	DashboardServer(Class<?> configuration, ClassLoader classLoader, String... properties) {
		SpringApplication application = new SpringApplicationBuilder(configuration)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "worker.server.enabled=false",
					"worker.dashboard.enabled=true", "spring.main.banner-mode=off")
			.properties(properties)
			.build();
		application.setResourceLoader(new DefaultResourceLoader(classLoader));
		this.context = application.run();
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		this.base = "http://127.0.0.1:" + port + "/worker";
	}

	private DashboardServer(DashboardServer server) {
		this.context = server.context;
		this.base = server.base;
	}

	/** A client of its own (cookies, user) to the same server; {@code null} user: unauthenticated. */
	DashboardServer sharing(String user, String password) {
		DashboardServer other = new DashboardServer(this);
		return (user != null) ? other.as(user, password) : other;
	}

	DashboardServer as(String user, String password) {
		this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		return this;
	}

	void enqueue(String id, String queue, String payload) {
		this.context.getBean(TaskStore.class)
			.enqueue(List.of(new EnqueueRequest(TaskMessage.builder(id, "test", queue)
				.payload(payload.getBytes(StandardCharsets.UTF_8))
				.enqueuedAt(java.time.Instant.now())
				.build(), null)));
	}

	TaskInspector inspector() {
		return this.context.getBean(TaskInspector.class);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
		return this.client.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The CSRF field of the first form on the page, as a form body. */
	static String csrfField(String page) {
		Matcher matcher = HIDDEN.matcher(page);
		if (!matcher.find()) {
			throw new AssertionError("No hidden field on the page");
		}
		return URLEncoder.encode(matcher.group(1), StandardCharsets.UTF_8) + "="
				+ URLEncoder.encode(matcher.group(2).replace("&quot;", "\"").replace("&amp;", "&"), StandardCharsets.UTF_8);
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + path));
		if (this.authorization != null) {
			builder.header("Authorization", this.authorization);
		}
		return builder;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
