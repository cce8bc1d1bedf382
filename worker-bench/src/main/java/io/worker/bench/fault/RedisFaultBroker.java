package io.worker.bench.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code redis-server} on 6390 with an append-only file fsynced at every write, in {@code /tmp/worker-fault-redis}. */
final class RedisFaultBroker extends FaultBroker {

	private static final Path DIR = Path.of("/tmp/worker-fault-redis");

	private Process process;

	@Override
	public int port() {
		return 6390;
	}

	@Override
	public int proxyPort() {
		return 6391;
	}

	@Override
	public String backend() {
		return "redis";
	}

	@Override
	public void start() throws Exception {
		Files.createDirectories(DIR);
		this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(port()), "--bind", "127.0.0.1",
				"--dir", DIR.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
				"--logfile", DIR.resolve("redis.log").toString())
			.redirectErrorStream(true)
			.redirectOutput(DIR.resolve("stdout.log").toFile())
			.start();
		awaitPort(port(), Duration.ofSeconds(30), this.process);
		// the AOF is loaded before the port opens, so it serves from here
	}

	@Override
	public void stop() throws Exception {
		stopProcess(this.process);
	}

	@Override
	public Map<String, Object> properties(int port, String prefix) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.data.redis.url", "redis://127.0.0.1:" + port);
		properties.put("spring.data.redis.timeout", "5s");
		properties.put("spring.data.redis.connect-timeout", "2s");
		properties.put("worker.redis.namespace", prefix);
		// a killed worker's tasks come back after the lease: short here, so that a run takes seconds
		properties.put("worker.redis.lease-duration", "10s");
		properties.put("worker.server.heartbeat-interval", "2s");
		properties.put("worker.server.recover-interval", "2s");
		return properties;
	}

	@Override
	public void close() throws Exception {
		stop();
		deleteTree(DIR);
	}

}
