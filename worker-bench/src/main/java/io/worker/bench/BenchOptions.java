package io.worker.bench;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's command-line options.
 *
 * @param backends the backends to measure, each with its subjects
 * @param tasks the task count of the enqueue and drain workloads
 * @param concurrency the consumer concurrencies the drain workload runs at; the others use the first,
 *     and the payload and scale variants the largest
 * @param rate the enqueue rate of the latency workload, per second
 * @param latencyTasks the task count of the latency workload
 * @param scale the queue sizes of the scale workload, by backend
 * @param workloads the workloads to run
 * @param bullmq whether to measure BullMQ
 * @param redis the Redis URI
 * @param rabbitmq the RabbitMQ URI (the run makes a vhost of its own there)
 * @param kafka the Kafka bootstrap servers
 * @param rounds how many times each row is measured, the subjects alternating; the row is the median
 */
public record BenchOptions(List<String> backends, int tasks, List<Integer> concurrency, int rate, int latencyTasks,
		Map<String, List<Integer>> scale, Set<Workload> workloads, boolean bullmq, String redis,
		String rabbitmq, String kafka, int rounds) {

	static final String USAGE = """
			Options (all optional):
			  --backends=memory,redis           backends to measure, each with its raw baseline (redis: and BullMQ):
			                                    memory, redis, rabbitmq, kafka
			  --tasks=20000                     tasks per enqueue and drain measurement
			  --concurrency=10,50               consumer concurrencies of the drain workload
			  --rate=1000                       enqueue rate of the latency workload (tasks/s, for 10 s)
			  --scale=1000,10000,100000,1000000 queue sizes of the scale workload
			  --scale-BACKEND=1000,10000        queue sizes of the scale workload on one backend
			  --workloads=drain,latency         only these workloads (enqueue-1, enqueue-8, enqueue-batch, drain,
			                                    drain-1kb, drain-64kb, latency, scale; and, only when named,
			                                    drain-io: handlers sleep 20 ms at concurrency 1,000, Worker and
			                                    BullMQ only; add -Dspring.threads.virtual.enabled=true on Java 21+
			                                    for Worker on virtual threads)
			  --rounds=3                        measurements per row, subjects alternating; a row is their median
			  --quick                           small counts, for a smoke run (one round)
			  --skip-bullmq                     do not measure BullMQ (no Node.js needed)
			  --redis=redis://127.0.0.1:6379    the Redis to run on; only keys under bench-* are written
			  --rabbitmq=amqp://guest:guest@127.0.0.1:5672
			                                    the RabbitMQ to run on, in a vhost bench-* of its own (rabbitmqctl)
			  --kafka=127.0.0.1:9092            the Kafka to run on; only topics and groups under bench-* are written
			""";

	/** Parse {@code --name=value} arguments. */
	public static BenchOptions parse(String... args) {
		Map<String, String> given = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + USAGE);
			}
			int equals = arg.indexOf('=');
			given.put(arg.substring(2, (equals < 0) ? arg.length() : equals), (equals < 0) ? "" : arg.substring(equals + 1));
		}
		boolean quick = given.remove("quick") != null;
		boolean bullmq = given.remove("skip-bullmq") == null;
		List<String> backends = List.of(given.getOrDefault("backends", "memory,redis").split(","));
		int tasks = Integer.parseInt(given.getOrDefault("tasks", quick ? "2000" : "20000"));
		List<Integer> concurrency = ints(given.getOrDefault("concurrency", "10,50"));
		int rate = Integer.parseInt(given.getOrDefault("rate", "1000"));
		List<Integer> defaultScale = ints(given.getOrDefault("scale", quick ? "1000,5000" : "1000,10000,100000,1000000"));
		Map<String, List<Integer>> scale = new HashMap<>();
		for (String backend : backends) {
			String own = given.remove("scale-" + backend);
			scale.put(backend, (own != null) ? ints(own) : defaultScale);
		}
		Set<Workload> workloads = EnumSet.complementOf(EnumSet.of(Workload.DRAIN_IO));
		if (given.containsKey("workloads")) {
			workloads = EnumSet.noneOf(Workload.class);
			for (String id : given.get("workloads").split(",")) {
				workloads.add(Arrays.stream(Workload.values()).filter((w) -> w.id().equals(id)).findFirst()
						.orElseThrow(() -> new IllegalArgumentException("Unknown workload '" + id + "'\n" + USAGE)));
			}
		}
		String redis = given.getOrDefault("redis", "redis://127.0.0.1:6379");
		String rabbitmq = given.getOrDefault("rabbitmq", "amqp://guest:guest@127.0.0.1:5672");
		String kafka = given.getOrDefault("kafka", "127.0.0.1:9092");
		int rounds = Integer.parseInt(given.getOrDefault("rounds", quick ? "1" : "3"));
		if (rounds < 1) {
			throw new IllegalArgumentException("--rounds must be at least 1\n" + USAGE);
		}
		given.keySet().removeAll(Set.of("backends", "tasks", "concurrency", "rate", "scale", "workloads", "redis",
				"rabbitmq", "kafka", "rounds"));
		if (!given.isEmpty()) {
			throw new IllegalArgumentException("Unknown options " + given.keySet() + "\n" + USAGE);
		}
		int latencyTasks = quick ? Math.min(rate, tasks) : rate * 10;
		return new BenchOptions(backends, tasks, concurrency, rate, latencyTasks, scale, workloads, bullmq, redis,
				rabbitmq, kafka, rounds);
	}

	private static List<Integer> ints(String list) {
		return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
	}

	/** The concurrency of the workloads that run at one. */
	int firstConcurrency() {
		return this.concurrency.get(0);
	}

	/** The concurrency of the payload and scale variants. */
	int largestConcurrency() {
		return this.concurrency.stream().max(Integer::compare).orElseThrow();
	}

}
