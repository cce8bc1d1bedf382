package io.worker.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of the tests' own: three masters and three replicas on six free consecutive
 * loopback ports (each node's cluster bus six ports above its own), under
 * {@code target/redis-cluster}, started by the first test class that asks for it
 * and stopped when the test JVM exits, so that every cluster test class of a run shares it. The
 * tests connect through Spring Boot's {@code spring.data.redis.cluster.*} settings
 * ({@link #properties()}).
 */
final class RedisCluster {

	static final int NODES = 6;

	private static RedisCluster shared;

	private final List<RedisServerProcess> nodes;

	private final int firstPort;

	private RedisCluster(List<RedisServerProcess> nodes) {
		this.nodes = nodes;
		this.firstPort = nodes.get(0).port();
	}

	/** The cluster of this test JVM, created and started on first use. */
	static synchronized RedisCluster shared() {
		if (shared == null) {
			int firstPort = RedisServerProcess.freePorts(2 * NODES);
			RedisCluster cluster = new RedisCluster(IntStream.range(0, NODES)
				.mapToObj((node) -> new RedisServerProcess(firstPort + node,
						// named by node, not port: a node left by a test JVM that died is found by its pid file
						RedisServerProcess.directory("cluster").resolve("node-" + node),
						List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
								// the bus in the same free block, not at the default port + 10000
								"--cluster-port", Integer.toString(firstPort + NODES + node),
								"--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no")))
				.toList());
			Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "redis-cluster-stop"));
			cluster.start();
			shared = cluster;
		}
		return shared;
	}

	private void start() {
		try {
			this.nodes.forEach(RedisServerProcess::start);
			List<String> command = new ArrayList<>(List.of("/usr/bin/redis-cli", "--cluster", "create"));
			this.nodes.forEach((node) -> command.add("127.0.0.1:" + node.port()));
			command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			String output = RedisServerProcess.run(command);
			assertThat(output).as("redis-cli --cluster create").contains("All 16384 slots covered");
			awaitHealthy();
		}
		catch (RuntimeException | Error ex) {
			stop();
			throw ex;
		}
	}

	private void stop() {
		this.nodes.forEach(RedisServerProcess::kill);
	}

	/** Boot's settings for this cluster, with Lettuce refreshing its view of the topology. */
	List<String> properties() {
		List<String> properties = new ArrayList<>();
		properties.add("spring.data.redis.cluster.nodes="
				+ String.join(",", this.nodes.stream().map((node) -> "127.0.0.1:" + node.port()).toList()));
		properties.add("spring.data.redis.timeout=2s");
		properties.add("spring.data.redis.lettuce.cluster.refresh.adaptive=true");
		properties.add("spring.data.redis.lettuce.cluster.refresh.period=1s");
		return properties;
	}

	/**
	 * Wait until every node answers {@code cluster_state:ok}, knows all six nodes, and every
	 * replica is in sync with its master.
	 */
	void awaitHealthy() {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			for (RedisServerProcess node : this.nodes) {
				assertThat(node.cli("CLUSTER", "INFO")).contains("cluster_state:ok", "cluster_known_nodes:" + NODES);
				String replication = node.cli("INFO", "replication");
				if (replication.contains("role:slave")) {
					assertThat(replication).contains("master_link_status:up");
				}
			}
			assertThat(masters()).hasSize(NODES / 2);
		});
	}

	/** The nodes that are masters now, as one of them sees it. */
	List<RedisServerProcess> masters() {
		return nodes("master");
	}

	/** The port of the master serving a key now. */
	int masterOf(String key) {
		int slot = Integer.parseInt(this.nodes.get(0).cli("CLUSTER", "KEYSLOT", key));
		for (String line : clusterNodes()) {
			String[] fields = line.split(" ");
			if (fields[2].contains("master") && !fields[2].contains("fail")) {
				for (int i = 8; i < fields.length; i++) {
					String[] range = fields[i].split("-");
					int from = Integer.parseInt(range[0]);
					int to = (range.length > 1) ? Integer.parseInt(range[1]) : from;
					if (slot >= from && slot <= to) {
						return port(fields[1]);
					}
				}
			}
		}
		throw new IllegalStateException("No master serves slot " + slot);
	}

	/**
	 * Fail the given master over to one of its replicas with {@code CLUSTER FAILOVER} (a manual
	 * failover: the replica catches up first, so no write is lost), and wait until the cluster is
	 * healthy again with the replica as master.
	 * @return the port of the new master
	 */
	int failover(int masterPort) {
		RedisServerProcess replica = this.nodes.stream()
			.filter((node) -> node.cli("INFO", "replication").contains("master_port:" + masterPort))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No replica of " + masterPort));
		assertThat(replica.cli("CLUSTER", "FAILOVER")).isEqualTo("OK");
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(replica.cli("INFO", "replication")).contains("role:master"));
		awaitHealthy();
		return replica.port();
	}

	RedisServerProcess node(int port) {
		return this.nodes.get(port - this.firstPort);
	}

	private List<RedisServerProcess> nodes(String role) {
		List<RedisServerProcess> found = new ArrayList<>();
		for (String line : clusterNodes()) {
			String[] fields = line.split(" ");
			if (fields[2].contains(role) && !fields[2].contains("fail")) {
				found.add(node(port(fields[1])));
			}
		}
		return found;
	}

	private List<String> clusterNodes() {
		return this.nodes.get(0).cli("CLUSTER", "NODES").lines().filter((line) -> !line.isBlank()).toList();
	}

	/** The port of an address {@code 127.0.0.1:30001@30007}. */
	private static int port(String address) {
		return Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
	}

}
