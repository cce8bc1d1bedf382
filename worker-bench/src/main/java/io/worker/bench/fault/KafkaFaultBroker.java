package io.worker.bench.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;

/**
 * A standalone KRaft broker (broker and controller in one JVM, {@code kafka.Kafka} from the
 * classpath, as {@code scripts/kafka-standalone.sh} runs it) with its log in
 * {@code /tmp/worker-fault-kafka}. Two client listeners: {@code DIRECT} on 9190 for the harness,
 * and {@code PROXIED} on 9192, which advertises the proxy's 9191, so that the worker JVMs reach
 * every partition leader through the proxy; the controller is on 9193.
 */
final class KafkaFaultBroker extends FaultBroker {

	private static final Path DIR = Path.of("/tmp/worker-fault-kafka");

	private Process process;

	@Override
	public int port() {
		return 9192;
	}

	@Override
	public int proxyPort() {
		return 9191;
	}

	@Override
	public int clientPort() {
		return 9190;
	}

	@Override
	public String backend() {
		return "kafka";
	}

	@Override
	public void start() throws Exception {
		Path properties = DIR.resolve("server.properties");
		if (!Files.exists(properties)) {
			Files.createDirectories(DIR);
			Files.writeString(properties, String.join("\n", List.of("process.roles=broker,controller", "node.id=1",
					"controller.quorum.voters=1@127.0.0.1:9193",
					"listeners=DIRECT://127.0.0.1:9190,PROXIED://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193",
					"advertised.listeners=DIRECT://127.0.0.1:9190,PROXIED://127.0.0.1:9191",
					"controller.listener.names=CONTROLLER",
					"listener.security.protocol.map=DIRECT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT",
					"inter.broker.listener.name=DIRECT", "log.dirs=" + DIR.resolve("data"), "num.partitions=6",
					"offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
					"transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0",
					"auto.create.topics.enable=false")) + "\n");
			run(Map.of(), java(), "-cp", System.getProperty("java.class.path"), "kafka.tools.StorageTool", "format",
					"-t", Uuid.randomUuid().toString(), "-c", properties.toString());
		}
		this.process = new ProcessBuilder(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				"kafka.Kafka", properties.toString())
			.redirectErrorStream(true)
			.redirectOutput(DIR.resolve("kafka.log").toFile())
			.start();
		awaitPort(clientPort(), Duration.ofSeconds(90), this.process);
		awaitPort(port(), Duration.ofSeconds(30), this.process);
	}

	@Override
	public void stop() throws Exception {
		stopProcess(this.process);
	}

	@Override
	public Map<String, Object> properties(int port, String prefix) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + port);
		properties.put("worker.kafka.prefix", prefix);
		properties.put("worker.kafka.group-id", prefix);
		properties.put("worker.kafka.send-timeout", "5s");
		properties.put("spring.kafka.producer.properties.max.block.ms", "5000");
		return properties;
	}

	@Override
	public void close() throws Exception {
		stop();
		deleteTree(DIR);
	}

}
