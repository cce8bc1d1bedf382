package io.worker.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The harness's own view of the benchmark RabbitMQ: a virtual host of its own for the run
 * ({@code bench-<random>}, made with {@code rabbitmqctl add_vhost} and {@code set_permissions},
 * deleted with {@code delete_vhost} on close), where every subject declares its queues. It never
 * touches another virtual host.
 */
public final class BenchRabbit implements AutoCloseable {

	private final String host;

	private final int port;

	private final String username;

	private final String password;

	private final String virtualHost = "bench-" + UUID.randomUUID().toString().substring(0, 8);

	private final CachingConnectionFactory adminConnections;

	private final RabbitAdmin admin;

	/**
	 * Make the run's virtual host on the RabbitMQ at {@code uri} ({@code amqp://user:pass@host:port}).
	 * @throws IllegalStateException when {@code rabbitmqctl} fails or the broker cannot be reached
	 */
	public BenchRabbit(String uri) {
		URI parsed = URI.create(uri);
		this.host = parsed.getHost();
		this.port = (parsed.getPort() > 0) ? parsed.getPort() : 5672;
		String userInfo = (parsed.getUserInfo() != null) ? parsed.getUserInfo() : "guest:guest";
		int colon = userInfo.indexOf(':');
		this.username = (colon < 0) ? userInfo : userInfo.substring(0, colon);
		this.password = (colon < 0) ? "" : userInfo.substring(colon + 1);
		rabbitmqctl("add_vhost", this.virtualHost);
		try {
			rabbitmqctl("set_permissions", "-p", this.virtualHost, this.username, ".*", ".*", ".*");
			this.adminConnections = newConnectionFactory();
			this.admin = new RabbitAdmin(this.adminConnections);
			this.adminConnections.createConnection().close();
		}
		catch (RuntimeException ex) {
			rabbitmqctl("delete_vhost", this.virtualHost);
			throw new IllegalStateException("No RabbitMQ at " + uri + " (vhost " + this.virtualHost
					+ "): start one or pass --rabbitmq=amqp://user:pass@host:port", ex);
		}
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	/** The run's own virtual host. */
	public String virtualHost() {
		return this.virtualHost;
	}

	/** A connection factory on the run's virtual host, for a subject's own connections, destroyed by it. */
	public CachingConnectionFactory newConnectionFactory() {
		CachingConnectionFactory factory = new CachingConnectionFactory(this.host, this.port);
		factory.setUsername(this.username);
		factory.setPassword(this.password);
		factory.setVirtualHost(this.virtualHost);
		return factory;
	}

	/** Delete the run's queues whose names start with {@code prefix}, with what they hold. */
	public void deleteQueues(String prefix) {
		for (String queue : rabbitmqctl("list_queues", "-p", this.virtualHost, "--quiet", "--no-table-headers", "name")) {
			if (queue.startsWith(prefix)) {
				this.admin.deleteQueue(queue);
			}
		}
	}

	/** The broker's version, from {@code rabbitmqctl version}. */
	public String version() {
		List<String> lines = rabbitmqctl("version");
		return lines.isEmpty() ? "unknown" : lines.get(0);
	}

	@Override
	public void close() {
		this.adminConnections.destroy();
		rabbitmqctl("delete_vhost", this.virtualHost);
	}

	private static List<String> rabbitmqctl(String... args) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
			}
			return output.lines().map(String::trim).filter((line) -> !line.isEmpty()).toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run rabbitmqctl (needed to make the run's vhost)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted running " + command, ex);
		}
	}

}
