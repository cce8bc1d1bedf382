package io.worker.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

/**
 * Runs the benchmark: for each backend, Worker, its raw baseline and (on Redis) BullMQ, through
 * every workload, then prints a Markdown table. See {@link BenchOptions#USAGE} for the options.
 */
public final class BenchMain {

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		boolean needsRedis = options.backends().contains("redis");
		try (BenchRedis redis = needsRedis ? new BenchRedis(options.redis()) : null;
				BenchRabbit rabbit = options.backends().contains("rabbitmq") ? new BenchRabbit(options.rabbitmq()) : null;
				BenchKafka kafka = options.backends().contains("kafka") ? new BenchKafka(options.kafka()) : null) {
			Brokers brokers = new Brokers(redis, rabbit, kafka);
			String loadBefore = loadAverage();
			List<Row> rows = new ArrayList<>();
			for (String backend : options.backends()) {
				rows.addAll(runBackend(backend, subjects(backend, brokers, options), options));
			}
			System.out.printf(Locale.ROOT, "Each row: the median of %d round(s), the subjects alternating%n%n",
					options.rounds());
			System.out.println(Report.table(rows));
			List<String> verdicts = Verdicts.lines(rows);
			if (!verdicts.isEmpty()) {
				System.out.println(String.join("\n", verdicts) + "\n");
			}
			System.out.println(Report.memory());
			System.out.printf(Locale.ROOT, "%d cores; Java %s; %s%s%sload average %s before, %s after%n",
					Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
					(redis != null) ? "Redis " + redis.version() + "; " : "",
					(rabbit != null) ? "RabbitMQ " + rabbit.version() + "; " : "",
					(kafka != null) ? "Kafka client " + kafka.version() + "; " : "", loadBefore, loadAverage());
			if (rows.stream().anyMatch((row) -> row.figures() == null)) {
				System.exit(1);
			}
		}
	}

	/** The subjects of one backend: Worker on it, then its raw baseline and peers where there are. */
	static List<Subject> subjects(String backend, Brokers brokers, BenchOptions options) throws Exception {
		BenchRedis redis = brokers.redis();
		List<Subject> subjects = new ArrayList<>();
		subjects.add(new WorkerSubject(backend, "redis".equals(backend) ? redis : null,
				"rabbitmq".equals(backend) ? brokers.rabbit() : null, "kafka".equals(backend) ? brokers.kafka() : null));
		if ("memory".equals(backend)) {
			subjects.add(new ExecutorBaseline());
		}
		else if ("redis".equals(backend) && redis != null) {
			subjects.add(new LettuceBaseline(redis));
			if (options.bullmq()) {
				BullMqPeer bullmq = new BullMqPeer(bullmqDirectory(), redis);
				bullmq.install();
				subjects.add(bullmq);
			}
		}
		else if ("rabbitmq".equals(backend) && brokers.rabbit() != null) {
			subjects.add(new RabbitBaseline(brokers.rabbit()));
		}
		else if ("kafka".equals(backend) && brokers.kafka() != null) {
			subjects.add(new KafkaBaseline(brokers.kafka()));
		}
		else if (!"memory".equals(backend)) {
			throw new IllegalArgumentException("Unknown backend '" + backend + "': memory, redis, rabbitmq or kafka");
		}
		return subjects;
	}

	/** The brokers of the run, each {@code null} unless a backend measured needs it. */
	record Brokers(@Nullable BenchRedis redis, @Nullable BenchRabbit rabbit, @Nullable BenchKafka kafka) {

	}

	private static List<Row> runBackend(String backend, List<Subject> subjects, BenchOptions options)
			throws Exception {
		for (Subject subject : subjects) {
			if (subject instanceof SessionSubject session) {
				progress("warming up %s (%s)", subject.name(), backend);
				try {
					session.warmUp(options.firstConcurrency());
				}
				catch (Exception ex) {
					// its measurements fail too, each in its row: the other subjects still run
					progress("  warm-up failed: %s", ex);
				}
			}
		}
		List<Row> rows = new ArrayList<>();
		for (Workload workload : options.workloads()) {
			for (Spec spec : specs(workload, backend, options)) {
				List<Subject> measured = subjects.stream().filter((s) -> s.supports(workload)).toList();
				List<List<Row>> rounds = measured.stream().map((s) -> (List<Row>) new ArrayList<Row>()).toList();
				// rounds alternate the subjects, so that a change in the machine's load hits them alike
				for (int round = 1; round <= options.rounds(); round++) {
					if (options.rounds() > 1) {
						progress("round %d of %d", round, options.rounds());
					}
					for (int i = 0; i < measured.size(); i++) {
						rounds.get(i).add(measure(measured.get(i), workload, spec));
					}
				}
				rounds.forEach((each) -> rows.add(median(each)));
			}
		}
		return rows;
	}

	private static List<Spec> specs(Workload workload, String backend, BenchOptions options) {
		int first = options.firstConcurrency();
		int largest = options.largestConcurrency();
		return switch (workload) {
			case ENQUEUE_ONE, ENQUEUE_EIGHT, ENQUEUE_BATCH -> List.of(new Spec(options.tasks(), first, options.rate()));
			case DRAIN -> options.concurrency().stream().map((c) -> new Spec(options.tasks(), c, options.rate())).toList();
			case DRAIN_1KB -> List.of(new Spec(options.tasks(), largest, options.rate()));
			case DRAIN_IO -> List.of(new Spec(options.tasks(), Workload.IO_CONCURRENCY, options.rate()));
			// 64 KB payloads: a quarter of the tasks keeps the broker's share of memory reasonable
			case DRAIN_64KB -> List.of(new Spec(Math.max(1, options.tasks() / 4), largest, options.rate()));
			case LATENCY -> List.of(new Spec(options.latencyTasks(), first, options.rate()));
			case SCALE -> options.scale().get(backend).stream().map((n) -> new Spec(n, largest, options.rate())).toList();
		};
	}

	private static Row measure(Subject subject, Workload workload, Spec spec) {
		progress("%s (%s): %s, %,d tasks, concurrency %d", subject.name(), subject.backend(), workload.title(),
				spec.tasks(), spec.concurrency());
		try {
			Figures figures = subject.measure(workload, spec);
			progress("  %,.0f tasks/s%s", figures.throughput(), (figures.brokerBytesPerTask() != null)
					? String.format(Locale.ROOT, ", %,.0f broker bytes/task", figures.brokerBytesPerTask()) : "");
			return new Row(workload, subject.name(), subject.backend(), subject.role(), spec, figures, null);
		}
		catch (Exception ex) {
			progress("  failed: %s", ex);
			return new Row(workload, subject.name(), subject.backend(), subject.role(), spec, null, ex.getMessage());
		}
	}

	/** The median of each figure over the rounds of one row; a failed round fails the row. */
	static Row median(List<Row> rounds) {
		Row first = rounds.get(0);
		for (Row round : rounds) {
			if (round.figures() == null) {
				return round;
			}
		}
		List<Figures> figures = rounds.stream().map(Row::figures).toList();
		Figures.Latency latency = null;
		if (figures.stream().allMatch((f) -> f.latency() != null)) {
			latency = new Figures.Latency(median(figures, (f) -> f.latency().p50()),
					median(figures, (f) -> f.latency().p99()), median(figures, (f) -> f.latency().max()));
		}
		Double bytes = figures.stream().allMatch((f) -> f.brokerBytesPerTask() != null)
				? median(figures, Figures::brokerBytesPerTask) : null;
		return new Row(first.workload(), first.subject(), first.backend(), first.role(), first.spec(),
				new Figures(median(figures, Figures::throughput), latency, bytes), null);
	}

	private static double median(List<Figures> figures, ToDoubleFunction<Figures> figure) {
		double[] values = figures.stream().mapToDouble(figure).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	/** {@code worker-bench/bullmq} from the repository root, or {@code bullmq} from the module. */
	private static Path bullmqDirectory() {
		for (Path candidate : List.of(Path.of("worker-bench", "bullmq"), Path.of("bullmq"))) {
			if (Files.isRegularFile(candidate.resolve("bench.mjs"))) {
				return candidate.toAbsolutePath();
			}
		}
		throw new IllegalStateException("No bullmq/bench.mjs under " + Path.of("").toAbsolutePath()
				+ ": run from the repository root, or pass --skip-bullmq");
	}

	private static String loadAverage() {
		return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
	}

	private static void progress(String format, Object... args) {
		System.err.printf(Locale.ROOT, format + "%n", args);
	}

}
