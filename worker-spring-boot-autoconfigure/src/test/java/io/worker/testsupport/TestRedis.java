package io.worker.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis the tests share: a Testcontainers {@code redis} container when a Docker engine is
 * there, else the local one at 127.0.0.1:6379, or wherever {@code worker.test.redis.host} and
 * {@code worker.test.redis.port} say (then the local one alone). Found once per JVM; tests fail,
 * never skip, when there is none. Each test keeps to a key namespace of its own.
 */
public final class TestRedis {

	private static final String HOST_PROPERTY = "worker.test.redis.host";

	private static final String PORT_PROPERTY = "worker.test.redis.port";

	/** The version the local service runs (Debian's), so both sources behave alike. */
	private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.0");

	private static final int REDIS_PORT = 6379;

	private static final SharedService<ServiceAddress> REDIS = SharedService.of("Redis",
			System.getProperty(HOST_PROPERTY) != null || System.getProperty(PORT_PROPERTY) != null,
			TestRedis::startContainer, TestRedis::checkLocal);

	private TestRedis() {
	}

	/** Where the shared Redis listens, finding it on first use. */
	public static ServiceAddress address() {
		return REDIS.get();
	}

	/** Spring Boot's {@code spring.data.redis.*} settings that reach the shared Redis, then {@code more}. */
	public static String[] springProperties(String... more) {
		return springProperties(address(), more);
	}

	/** Spring Boot's {@code spring.data.redis.*} settings that reach a Redis, then {@code more}. */
	public static String[] springProperties(ServiceAddress redis, String... more) {
		List<String> properties = new ArrayList<>(List.of("spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port()));
		properties.addAll(List.of(more));
		return properties.toArray(new String[0]);
	}

	/** A started connection factory to the shared Redis, which the caller destroys. */
	public static LettuceConnectionFactory connect() {
		return connect(address());
	}

	/**
	 * A started connection factory to a Redis, which the caller destroys: a Redis of the test's own,
	 * or the shared one in another JVM given its address.
	 */
	public static LettuceConnectionFactory connect(ServiceAddress redis) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(Duration.ofSeconds(2))
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()), client);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static ServiceAddress startContainer() {
		// stopped by Testcontainers' reaper when the JVM exits
		GenericContainer<?> container = new GenericContainer<>(IMAGE).withExposedPorts(REDIS_PORT);
		container.start();
		return new ServiceAddress(container.getHost(), container.getMappedPort(REDIS_PORT));
	}

	private static ServiceAddress checkLocal() {
		ServiceAddress local = new ServiceAddress(System.getProperty(HOST_PROPERTY, "127.0.0.1"),
				Integer.getInteger(PORT_PROPERTY, REDIS_PORT));
		LettuceConnectionFactory factory = connect(local);
		try (RedisConnection connection = factory.getConnection()) {
			connection.ping();
			return local;
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("no Redis answers at " + local + " (start redis-server, or set -D"
					+ HOST_PROPERTY + " and -D" + PORT_PROPERTY + "): " + ex.getMessage(), ex);
		}
		finally {
			factory.destroy();
		}
	}

}
