package io.worker.bench.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A second RabbitMQ node, {@code worker-fault@localhost}, on 5690 (distribution on 25690), with its
 * database and logs in {@code /tmp/worker-fault-rabbit}; started with {@code rabbitmq-server
 * -detached}, stopped with {@code rabbitmqctl stop}. Its own configuration file replaces the
 * machine's, which pins the listener to 5672.
 */
final class RabbitFaultBroker extends FaultBroker {

	private static final Path DIR = Path.of("/tmp/worker-fault-rabbit");

	private static final String NODE = "worker-fault@localhost";

	private boolean started;

	@Override
	public int port() {
		return 5690;
	}

	@Override
	public int proxyPort() {
		return 5691;
	}

	@Override
	public String backend() {
		return "rabbitmq";
	}

	@Override
	public void start() throws Exception {
		Files.createDirectories(DIR);
		// the node runs as the rabbitmq user: it must be able to write here
		DIR.toFile().setWritable(true, false);
		Path config = DIR.resolve("rabbitmq.conf");
		Files.writeString(config, "listeners.tcp.local = 127.0.0.1:" + port() + "\nloopback_users = none\n");
		config.toFile().setReadable(true, false);
		Map<String, String> environment = new HashMap<>();
		environment.put("RABBITMQ_NODENAME", NODE);
		environment.put("RABBITMQ_NODE_PORT", String.valueOf(port()));
		environment.put("RABBITMQ_DIST_PORT", "25690");
		environment.put("RABBITMQ_CONFIG_FILE", config.toString());
		environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", DIR.resolve("enabled_plugins").toString());
		environment.put("RABBITMQ_MNESIA_BASE", DIR.resolve("mnesia").toString());
		environment.put("RABBITMQ_LOG_BASE", DIR.resolve("log").toString());
		run(environment, "rabbitmq-server", "-detached");
		this.started = true;
		awaitStartup(Duration.ofSeconds(120));
	}

	/**
	 * {@code -detached} returns before the node has registered with epmd, and {@code await_startup}
	 * fails at once on a node it cannot find: ask again until it answers.
	 */
	private static void awaitStartup(Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try {
				run(Map.of(), "rabbitmqctl", "-n", NODE, "--timeout", "120", "await_startup");
				return;
			}
			catch (IllegalStateException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Thread.sleep(500);
			}
		}
	}

	@Override
	public void stop() throws Exception {
		if (this.started) {
			run(Map.of(), "rabbitmqctl", "-n", NODE, "stop");
			this.started = false;
		}
	}

	@Override
	public Map<String, Object> properties(int port, String prefix) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.rabbitmq.host", "127.0.0.1");
		properties.put("spring.rabbitmq.port", port);
		properties.put("spring.rabbitmq.username", "guest");
		properties.put("spring.rabbitmq.password", "guest");
		properties.put("spring.rabbitmq.connection-timeout", "2s");
		properties.put("worker.rabbitmq.prefix", prefix);
		properties.put("worker.rabbitmq.confirm-timeout", "5s");
		return properties;
	}

	@Override
	public void close() throws Exception {
		stop();
		deleteTree(DIR);
	}

}
