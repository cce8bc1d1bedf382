package io.worker.bench.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The fault run: for each backend, a broker started here on its own port behind a {@link TcpProxy},
 * and {@link Fault each fault} in turn on a fresh batch of tasks of 5–50 ms run by worker child
 * JVMs; then a Markdown table of tasks in, out, duplicates and recovery times. Not part of the
 * build: {@code scripts/fault-run.sh} runs it (see {@code docs/RELIABILITY.md}).
 *
 * <pre>
 * FaultRun [--backends=redis,rabbitmq,kafka] [--tasks=10000] [--concurrency=20] [--cut=20s] [--report=FILE]
 * </pre>
 */
public final class FaultRun {

	private FaultRun() {
	}

	public static void main(String[] args) throws Exception {
		List<String> backends = List.of("redis", "rabbitmq", "kafka");
		int tasks = 10_000;
		int concurrency = 20;
		Duration cut = Duration.ofSeconds(20);
		Path report = null;
		for (String arg : args) {
			String[] option = arg.split("=", 2);
			switch (option[0]) {
				case "--backends" -> backends = List.of(option[1].split(","));
				case "--tasks" -> tasks = Integer.parseInt(option[1]);
				case "--concurrency" -> concurrency = Integer.parseInt(option[1]);
				case "--cut" -> cut = Duration.ofSeconds(Long.parseLong(option[1].replace("s", "")));
				case "--report" -> report = Path.of(option[1]);
				default -> {
					System.err.println("Unknown option " + arg
							+ "; usage: FaultRun [--backends=redis,rabbitmq,kafka] [--tasks=N] [--concurrency=N] [--cut=20s] [--report=FILE]");
					System.exit(2);
				}
			}
		}
		List<ScenarioResult> results = new ArrayList<>();
		Path root = Files.createTempDirectory("worker-fault-run");
		for (String backend : backends) {
			try (FaultBroker broker = broker(backend)) {
				progress("%s: starting the broker on %d", backend, broker.port());
				broker.start();
				try (TcpProxy proxy = new TcpProxy(broker.proxyPort(), broker.port())) {
					for (Fault fault : Fault.values()) {
						Scenario scenario = new Scenario(broker, proxy, fault, tasks, concurrency, cut,
								Files.createDirectories(root.resolve(backend + "-" + fault.slug())));
						progress("%s: %s, %,d tasks", backend, fault.title(), tasks);
						ScenarioResult result;
						try {
							result = scenario.run();
						}
						catch (Exception ex) {
							result = ScenarioResult.failed(backend, fault, tasks, ex);
						}
						progress("  %s", result.summary());
						results.add(result);
					}
				}
			}
		}
		String table = ScenarioResult.table(results);
		System.out.println(table);
		System.out.printf(Locale.ROOT, "%d cores; Java %s; records and worker logs in %s%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), root);
		if (report != null) {
			Files.writeString(report, table);
		}
		System.exit(results.stream().allMatch(ScenarioResult::passed) ? 0 : 1);
	}

	private static FaultBroker broker(String backend) {
		return switch (backend) {
			case "redis" -> new RedisFaultBroker();
			case "rabbitmq" -> new RabbitFaultBroker();
			case "kafka" -> new KafkaFaultBroker();
			default -> throw new IllegalArgumentException("Unknown backend '" + backend + "': redis, rabbitmq or kafka");
		};
	}

	/** The work of each task, 5–50 ms, the same for every run. */
	static List<FaultPayload> payloads(int tasks) {
		Random random = new Random(14);
		List<FaultPayload> payloads = new ArrayList<>(tasks);
		for (int id = 0; id < tasks; id++) {
			payloads.add(new FaultPayload(id, 5 + random.nextInt(46)));
		}
		return payloads;
	}

	/** The properties of a worker JVM or of the harness's client on {@code broker} at {@code port}. */
	static Map<String, Object> properties(FaultBroker broker, int port, String prefix, int concurrency) {
		Map<String, Object> properties = new HashMap<>(broker.properties(port, prefix));
		properties.put("worker.backend", broker.backend());
		properties.put("worker.server.concurrency", concurrency);
		properties.put("worker.server.shutdown-timeout", "10s");
		properties.put("worker.queues." + FaultWorker.TYPE + ".weight", 1);
		properties.put("worker.tasks." + FaultWorker.TYPE + ".queue", FaultWorker.TYPE);
		// a lost delivery counts as a failed attempt: a task must not be archived for being in flight at a fault
		properties.put("worker.defaults.max-retries", 25);
		properties.put("worker.defaults.backoff.initial-delay", "200ms");
		properties.put("worker.defaults.backoff.max-delay", "2s");
		properties.put("spring.application.name", prefix);
		return properties;
	}

	static String newPrefix(Fault fault) {
		return "fault-" + UUID.randomUUID().toString().substring(0, 8) + "-" + fault.slug();
	}

	static void progress(String format, Object... args) {
		System.err.printf(Locale.ROOT, format + "%n", args);
	}

}
