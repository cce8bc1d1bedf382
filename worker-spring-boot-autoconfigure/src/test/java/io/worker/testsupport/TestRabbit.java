package io.worker.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.fail;

/**
 * The RabbitMQ the tests share, and its {@code rabbitmqctl}: a Testcontainers {@code rabbitmq}
 * container when a Docker engine is there ({@code rabbitmqctl} runs inside it), else the local
 * one at 127.0.0.1:5672, or wherever {@code worker.test.rabbitmq.host} and
 * {@code worker.test.rabbitmq.port} say (then the local one alone). Either way the user is
 * guest/guest. Found once per JVM; tests fail, never skip, when there is none. Tests keep to
 * virtual hosts of their own ({@link io.worker.testsupport.rabbitmq.RabbitVirtualHost}).
 */
public final class TestRabbit {

	/** The user of both sources: the local broker's default one, and the container's admin. */
	public static final String USERNAME = "guest";

	/** The password of {@link #USERNAME}. */
	public static final String PASSWORD = "guest";

	private static final String HOST_PROPERTY = "worker.test.rabbitmq.host";

	private static final String PORT_PROPERTY = "worker.test.rabbitmq.port";

	/** The version the local service runs (Debian's), so both sources behave alike. */
	private static final DockerImageName IMAGE = DockerImageName.parse("rabbitmq:3.10");

	private static final int AMQP_PORT = 5672;

	private static final SharedService<Broker> RABBIT = SharedService.of("RabbitMQ",
			System.getProperty(HOST_PROPERTY) != null || System.getProperty(PORT_PROPERTY) != null,
			TestRabbit::startContainer, TestRabbit::checkLocal);

	private TestRabbit() {
	}

	/** Where the shared RabbitMQ takes AMQP connections, finding it on first use. */
	public static ServiceAddress address() {
		return RABBIT.get().address();
	}

	/** Spring Boot's {@code spring.rabbitmq.*} settings that reach the shared RabbitMQ, then {@code more}. */
	public static String[] springProperties(String... more) {
		ServiceAddress rabbit = address();
		List<String> properties = new ArrayList<>(List.of("spring.rabbitmq.host=" + rabbit.host(),
				"spring.rabbitmq.port=" + rabbit.port(), "spring.rabbitmq.username=" + USERNAME,
				"spring.rabbitmq.password=" + PASSWORD));
		properties.addAll(List.of(more));
		return properties.toArray(new String[0]);
	}

	/**
	 * A new connection factory to a virtual host, which the caller destroys: of the shared broker,
	 * or of the shared broker from another JVM given its address.
	 */
	public static CachingConnectionFactory connectionFactory(ServiceAddress rabbit, String virtualHost) {
		CachingConnectionFactory factory = new CachingConnectionFactory(rabbit.host(), rabbit.port());
		factory.setUsername(USERNAME);
		factory.setPassword(PASSWORD);
		factory.setVirtualHost(virtualHost);
		return factory;
	}

	/** Run {@code rabbitmqctl} of the shared broker with the arguments; fail the test when it fails. */
	public static String rabbitmqctl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl", "--quiet"));
		command.addAll(List.of(arguments));
		return RABBIT.get().control().run(command);
	}

	private static Broker startContainer() {
		// stopped by Testcontainers' reaper when the JVM exits
		RabbitMQContainer container = new RabbitMQContainer(IMAGE).withAdminUser(USERNAME)
			.withAdminPassword(PASSWORD);
		container.start();
		return new Broker(new ServiceAddress(container.getHost(), container.getAmqpPort()),
				(command) -> execIn(container, command));
	}

	private static Broker checkLocal() {
		ServiceAddress local = new ServiceAddress(System.getProperty(HOST_PROPERTY, "127.0.0.1"),
				Integer.getInteger(PORT_PROPERTY, AMQP_PORT));
		// a TCP connection only: the tests' virtual hosts check the AMQP side, the default one stays untouched
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(local.host(), local.port()), 2000);
		}
		catch (IOException ex) {
			throw new IllegalStateException("no RabbitMQ answers at " + local + " (start rabbitmq-server, or set -D"
					+ HOST_PROPERTY + " and -D" + PORT_PROPERTY + "): " + ex.getMessage(), ex);
		}
		return new Broker(local, TestRabbit::runLocally);
	}

	private static String execIn(RabbitMQContainer container, List<String> command) {
		try {
			ExecResult result = container.execInContainer(command.toArray(new String[0]));
			if (result.getExitCode() != 0) {
				fail("rabbitmqctl failed in the RabbitMQ container: " + command + ": " + result.getStdout()
						+ result.getStderr());
			}
			return result.getStdout();
		}
		catch (IOException ex) {
			return fail("rabbitmqctl cannot be run in the RabbitMQ container: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return fail("interrupted running " + command, ex);
		}
	}

	private static String runLocally(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				fail("rabbitmqctl did not finish within 60s: " + command);
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				fail("rabbitmqctl failed (is rabbitmq-server running here?): " + command + ": " + output);
			}
			return output;
		}
		catch (IOException ex) {
			return fail("rabbitmqctl cannot be run (install rabbitmq-server): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return fail("interrupted running " + command, ex);
		}
	}

	/** The broker found, and how its {@code rabbitmqctl} is run. */
	private record Broker(ServiceAddress address, Control control) {

	}

	/** Runs a {@code rabbitmqctl} command line where the broker is, giving its output. */
	@FunctionalInterface
	private interface Control {

		String run(List<String> command);

	}

}
