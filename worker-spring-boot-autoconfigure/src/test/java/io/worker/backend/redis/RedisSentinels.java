package io.worker.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replicated Redis of the tests' own watched by Sentinel: a master, its replica and three
 * sentinels (quorum 2) on five free consecutive loopback ports, under {@code target/redis-sentinel}, started by
 * the first test class that asks for it and stopped when the test JVM exits. The tests connect
 * through Spring Boot's {@code spring.data.redis.sentinel.*} settings ({@link #properties()}).
 */
final class RedisSentinels {

	static final String MASTER_NAME = "wtest";

	private static RedisSentinels shared;

	private final List<RedisServerProcess> servers;

	private final List<RedisServerProcess> sentinels;

	private RedisSentinels() {
		int firstPort = RedisServerProcess.freePorts(5);
		RedisServerProcess master = server(firstPort, "master", List.of());
		RedisServerProcess replica = server(firstPort + 1, "replica",
				List.of("--replicaof", "127.0.0.1", Integer.toString(firstPort)));
		this.servers = List.of(master, replica);
		String config = String.join("\n", "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + firstPort + " 2",
				"sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
				"sentinel failover-timeout " + MASTER_NAME + " 10000", "");
		this.sentinels = IntStream.range(0, 3)
			.mapToObj((sentinel) -> new RedisServerProcess(firstPort + 2 + sentinel,
					RedisServerProcess.directory("sentinel").resolve("sentinel-" + sentinel), config,
					List.of("--sentinel")))
			.toList();
	}

	/** A data server, its directory named by role so that one left by a test JVM that died is found. */
	private static RedisServerProcess server(int port, String role, List<String> arguments) {
		List<String> all = new ArrayList<>(List.of("--save", "", "--appendonly", "no"));
		all.addAll(arguments);
		return new RedisServerProcess(port, RedisServerProcess.directory("sentinel").resolve(role), all);
	}

	/** The servers and sentinels of this test JVM, created and started on first use. */
	static synchronized RedisSentinels shared() {
		if (shared == null) {
			RedisSentinels topology = new RedisSentinels();
			Runtime.getRuntime().addShutdownHook(new Thread(topology::stop, "redis-sentinel-stop"));
			topology.start();
			shared = topology;
		}
		return shared;
	}

	private void start() {
		try {
			this.servers.forEach(RedisServerProcess::start);
			this.sentinels.forEach(RedisServerProcess::start);
			awaitHealthy(this.servers.get(0).port());
		}
		catch (RuntimeException | Error ex) {
			stop();
			throw ex;
		}
	}

	private void stop() {
		this.sentinels.forEach(RedisServerProcess::kill);
		this.servers.forEach(RedisServerProcess::kill);
	}

	/** Boot's settings for these sentinels. */
	List<String> properties() {
		return List.of("spring.data.redis.sentinel.master=" + MASTER_NAME,
				"spring.data.redis.sentinel.nodes=" + String.join(",",
						this.sentinels.stream().map((sentinel) -> "127.0.0.1:" + sentinel.port()).toList()),
				"spring.data.redis.timeout=2s");
	}

	/** The port of the master, as the first sentinel names it. */
	int master() {
		String[] address = this.sentinels.get(0).cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).split("\\s+");
		return Integer.parseInt(address[1]);
	}

	/**
	 * Fail the master over to the replica with {@code SENTINEL FAILOVER}, and wait until every
	 * sentinel names the replica as master and the old master replicates from it.
	 * @return the port of the new master
	 */
	int failover() {
		int first = this.servers.get(0).port();
		int second = this.servers.get(1).port();
		int newMaster = (master() == first) ? second : first;
		assertThat(this.sentinels.get(0).cli("SENTINEL", "FAILOVER", MASTER_NAME)).isEqualTo("OK");
		awaitHealthy(newMaster);
		return newMaster;
	}

	/**
	 * Wait until every sentinel names the given master and knows the other sentinels, the master
	 * says so, and the replica is in sync with it.
	 */
	private void awaitHealthy(int masterPort) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			for (RedisServerProcess sentinel : this.sentinels) {
				assertThat(sentinel.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME))
					.endsWith(Integer.toString(masterPort));
				assertThat(sentinel.cli("SENTINEL", "MASTER", MASTER_NAME)).contains("num-other-sentinels\n2");
			}
			for (RedisServerProcess server : this.servers) {
				String replication = server.cli("INFO", "replication");
				if (server.port() == masterPort) {
					assertThat(replication).contains("role:master", "connected_slaves:1");
				}
				else {
					assertThat(replication).contains("role:slave", "master_port:" + masterPort,
							"master_link_status:up");
				}
			}
		});
	}

}
