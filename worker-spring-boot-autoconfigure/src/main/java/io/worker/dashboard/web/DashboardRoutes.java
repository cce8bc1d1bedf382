package io.worker.dashboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.dashboard.Dashboard;
import io.worker.dashboard.Html;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The dashboard's routes under its base path, as a Spring MVC {@link RouterFunction}: pages and
 * their live fragments, the assets from the jar, and the actions, which are POSTs that need the
 * operator's right and a CSRF token. Every answer carries a strict Content-Security-Policy.
 */
public final class DashboardRoutes {

	/** No inline script or style, nothing from elsewhere, no framing. */
	public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

	private static final Map<String, MediaType> ASSETS = Map.of("dashboard.css", new MediaType("text", "css"),
			"dashboard.js", new MediaType("text", "javascript"));

	private static final MediaType HTML = new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8);

	private final Dashboard dashboard;

	private final DashboardAccess access;

	private final String base;

	/** Routes for the dashboard served under {@code base} (no trailing slash). */
	public DashboardRoutes(Dashboard dashboard, DashboardAccess access, String base) {
		this.dashboard = dashboard;
		this.access = access;
		this.base = base;
	}

	/** The router function to register as a bean. */
	public RouterFunction<ServerResponse> routerFunction() {
		String b = this.base;
		return RouterFunctions.route()
			.GET(b, (request) -> secure(ServerResponse.permanentRedirect(URI.create(b + "/"))).build())
			.GET(b + "/", read((request) -> html(this.dashboard.overview(fragment(request)))))
			.GET(b + "/workers", read((request) -> html(this.dashboard.workers(fragment(request)))))
			.GET(b + "/schedules", read((request) -> html(this.dashboard.schedules(viewer(request)))))
			.GET(b + "/search", read((request) -> html(this.dashboard.search(request.param("q").orElse("")))))
			.GET(b + "/queues/{queue}", read((request) -> html(this.dashboard.queue(request.pathVariable("queue"),
					state(request), page(request), viewer(request), fragment(request)))))
			.GET(b + "/queues/{queue}/tasks/{id}", read((request) -> found(this.dashboard.task(request.pathVariable("queue"),
					request.pathVariable("id"), viewer(request), fragment(request)))))
			.GET(b + "/jobs/{id}", read((request) -> found(this.dashboard.bulkProgress(request.pathVariable("id"),
					fragment(request)))))
			.GET(b + "/assets/{name}", this::asset)
			.POST(b + "/queues/{queue}/tasks/{id}/{action}", write((request, user) -> {
				String queue = request.pathVariable("queue");
				this.dashboard.act(user, request.pathVariable("action"), queue, request.pathVariable("id"));
				return back(request, b + "/queues/" + Html.url(queue));
			}))
			.POST(b + "/queues/{queue}/selection", write((request, user) -> {
				String queue = request.pathVariable("queue");
				List<String> ids = request.params().getOrDefault("id", List.of());
				this.dashboard.actOnSelection(user, required(request, "action"), queue, ids);
				return back(request, b + "/queues/" + Html.url(queue) + "?state=" + state(request).name());
			}))
			.POST(b + "/queues/{queue}/bulk/{action}", write((request, user) -> {
				String job = this.dashboard.startBulk(user, request.pathVariable("action"), request.pathVariable("queue"),
						state(request));
				return secure(ServerResponse.seeOther(URI.create(b + "/jobs/" + Html.url(job)))).build();
			}))
			.POST(b + "/queues/{queue}/{pause:pause|resume}", write((request, user) -> {
				String queue = request.pathVariable("queue");
				this.dashboard.pause(user, queue, "pause".equals(request.pathVariable("pause")));
				return secure(ServerResponse.seeOther(URI.create(b + "/queues/" + Html.url(queue)))).build();
			}))
			.POST(b + "/schedules/{name}/{action}", write((request, user) -> {
				this.dashboard.schedule(user, request.pathVariable("name"), request.pathVariable("action"));
				return secure(ServerResponse.seeOther(URI.create(b + "/schedules"))).build();
			}))
			.onError(TaskNotFoundException.class, (ex, request) -> error(HttpStatus.NOT_FOUND, ex.getMessage()))
			.onError(UnsupportedOperationByBackendException.class,
					(ex, request) -> error(HttpStatus.BAD_REQUEST, ex.getMessage()))
			.onError(IllegalArgumentException.class, (ex, request) -> error(HttpStatus.BAD_REQUEST, ex.getMessage()))
			.onError(IllegalStateException.class, (ex, request) -> error(HttpStatus.CONFLICT, ex.getMessage()))
			.build();
	}

	/** A page only a viewer may read. */
	private HandlerFunction<ServerResponse> read(HandlerFunction<ServerResponse> page) {
		return (request) -> {
			if (!this.access.canView(request.servletRequest())) {
				return error(HttpStatus.FORBIDDEN, "Reading the Worker dashboard needs the viewer authority");
			}
			return page.handle(request);
		};
	}

	/** An action only an operator may take, with a valid CSRF token. */
	private HandlerFunction<ServerResponse> write(Action action) {
		return (request) -> {
			if (!this.access.canAct(request.servletRequest())) {
				return error(HttpStatus.FORBIDDEN, "Acting on the Worker dashboard needs the operator authority"
						+ " (or worker.dashboard.read-only: false without Spring Security)");
			}
			if (!this.access.csrfValid(request.servletRequest())) {
				return error(HttpStatus.FORBIDDEN, "Missing or invalid CSRF token");
			}
			return action.handle(request, this.access.user(request.servletRequest()));
		};
	}

	@FunctionalInterface
	private interface Action {

		ServerResponse handle(ServerRequest request, String user) throws Exception;

	}

	private ServerResponse asset(ServerRequest request) {
		String name = request.pathVariable("name");
		MediaType type = ASSETS.get(name);
		if (type == null) {
			return secure(ServerResponse.status(HttpStatus.NOT_FOUND)).build();
		}
		try (InputStream in = DashboardRoutes.class.getResourceAsStream("/io/worker/dashboard/assets/" + name)) {
			if (in == null) {
				return secure(ServerResponse.status(HttpStatus.NOT_FOUND)).build();
			}
			return secure(ServerResponse.ok()).contentType(type).cacheControl(CacheControl.noCache()).body(in.readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every answer: no inline script or style, no sniffing, no framing. */
	private static ServerResponse.BodyBuilder secure(ServerResponse.BodyBuilder builder) {
		return builder.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.header("Referrer-Policy", "same-origin")
			.header("X-Frame-Options", "DENY");
	}

	private io.worker.dashboard.Viewer viewer(ServerRequest request) {
		return this.access.viewer(request.servletRequest());
	}

	private static ServerResponse html(String page) {
		return secure(ServerResponse.ok()).contentType(HTML).cacheControl(CacheControl.noStore()).body(page);
	}

	private static ServerResponse found(Optional<String> page) {
		return page.map(DashboardRoutes::html).orElseGet(() -> error(HttpStatus.NOT_FOUND, "No such task"));
	}

	private static ServerResponse error(HttpStatus status, String message) {
		return secure(ServerResponse.status(status)).contentType(HTML)
			.body("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status.value()
					+ "</title></head><body><p data-test=\"error\">" + Html.escape(String.valueOf(message)) + "</p></body></html>");
	}

	private static ServerResponse back(ServerRequest request, String fallback) {
		String to = request.param("back").filter((path) -> path.startsWith("/") && !path.startsWith("//")).orElse(fallback);
		return secure(ServerResponse.seeOther(URI.create(to))).build();
	}

	private static boolean fragment(ServerRequest request) {
		return request.param("fragment").map(Boolean::parseBoolean).orElse(false);
	}

	private static TaskState state(ServerRequest request) {
		return request.param("state").map((state) -> TaskState.valueOf(state.toUpperCase())).orElse(TaskState.PENDING);
	}

	private static int page(ServerRequest request) {
		return request.param("page").map(Integer::parseInt).orElse(0);
	}

	private static String required(ServerRequest request, String name) {
		return request.param(name).orElseThrow(() -> new IllegalArgumentException("Missing parameter " + name));
	}


}
