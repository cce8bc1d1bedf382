package io.worker.autoconfigure.dashboard;

import java.util.UUID;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.redis.WorkerRedisBackendAutoConfiguration;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard of a Redis-backed worker whose connection has a password (the test Redis's
 * default user takes any): no page shows it, and neither does the log output of the run.
 */
@ExtendWith(OutputCaptureExtension.class)
class DashboardCredentialsTests {

	private static final String SECRET = "s3cr3t-" + UUID.randomUUID();

	@Test
	void noPageShowsTheRedisPassword(CapturedOutput output) throws Exception {
		String namespace = "wtest-dashsecret-" + UUID.randomUUID();
		try (DashboardServer server = new DashboardServer(App.class,
				new FilteredClassLoader("org.springframework.security"),
				TestRedis.springProperties("worker.backend=redis", "worker.redis.namespace=" + namespace,
						"worker.server.enabled=true",
						"spring.data.redis.username=default", "spring.data.redis.password=" + SECRET))) {
			try {
				server.context.getBean(TaskClient.class).enqueue(Task.of("secret:probe", "x"));
				StringBuilder pages = new StringBuilder();
				for (String path : new String[] { "/", "/workers", "/queues/default", "/schedules", "/search?q=secret" }) {
					var response = server.get(path);
					assertThat(response.statusCode()).as(path).isEqualTo(200);
					pages.append(response.body());
				}
				assertThat(pages).contains("default").doesNotContain(SECRET);
			}
			finally {
				deleteNamespace(server.context.getBean(RedisConnectionFactory.class), namespace);
			}
		}
		assertThat(output.getAll()).doesNotContain(SECRET);
	}

	private static void deleteNamespace(RedisConnectionFactory factory, String namespace) {
		try (RedisConnection connection = factory.getConnection()) {
			ScanOptions options = ScanOptions.scanOptions().match(namespace + ":*").count(1000).build();
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
				cursor.forEachRemaining((key) -> connection.keyCommands().del(key));
			}
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
			WorkerRedisBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
			WorkerServerAutoConfiguration.class, WorkerDashboardAutoConfiguration.class })
	static class App {

	}

}
