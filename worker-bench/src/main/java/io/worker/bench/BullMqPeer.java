package io.worker.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.worker.bench.Figures.Latency;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * BullMQ on the same Redis, run by {@code bullmq/bench.mjs} in a Node process per measurement with
 * the same settings: the same task count, concurrency and rate, {@code removeOnComplete}. A drain
 * also reports Redis's {@code used_memory} growth per job queued with no worker running, read as
 * Worker's is. Installs its npm packages into {@code bullmq/node_modules} on first use.
 */
public final class BullMqPeer implements Subject {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Path directory;

	private final BenchRedis redis;

	/**
	 * @param directory the folder holding {@code package.json} and {@code bench.mjs}
	 * @param redis the Redis to run on
	 */
	public BullMqPeer(Path directory, BenchRedis redis) {
		this.directory = directory;
		this.redis = redis;
	}

	@Override
	public String name() {
		return "BullMQ";
	}

	@Override
	public String backend() {
		return "redis";
	}

	@Override
	public Role role() {
		return Role.PEER;
	}

	/** Install the locked packages unless BullMQ is installed already. */
	public void install() throws IOException, InterruptedException {
		if (Files.isDirectory(this.directory.resolve("node_modules/bullmq"))) {
			return;
		}
		// `npm ci` installs exactly the lock and never rewrites it, so a run leaves the work tree clean;
		// the lock lists every platform's optional msgpackr-extract build, which npm 11 requires
		String output = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 600);
		System.err.println(output.strip());
	}

	@Override
	public Figures measure(Workload workload, Spec spec) throws Exception {
		String prefix = "bench-" + UUID.randomUUID();
		try {
			String output = run(List.of("node", "bench.mjs", "--workload=" + workload.id(), "--tasks=" + spec.tasks(),
					"--concurrency=" + spec.concurrency(), "--rate=" + spec.rate(), "--redis=" + this.redis.uri(),
					"--prefix=" + prefix), 60 + spec.tasks() / 200);
			String[] lines = output.strip().split("\n");
			JsonNode figures = json.readTree(lines[lines.length - 1]);
			JsonNode latency = figures.get("latency");
			JsonNode bytes = figures.get("brokerBytesPerTask");
			return new Figures(figures.get("throughput").asDouble(), (latency != null)
					? new Latency(latency.get("p50").asDouble(), latency.get("p99").asDouble(), latency.get("max").asDouble())
					: null, (bytes != null) ? bytes.asDouble() : null);
		}
		finally {
			this.redis.deleteKeys(prefix);
		}
	}

	private String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
		// output goes to a file, so that neither a full pipe nor a hung process can stall the harness
		Path output = Files.createTempFile("worker-bench-node", ".log");
		try {
			Process process = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
			}
			return checked(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static String checked(List<String> command, int exitValue, String text) {
		if (exitValue != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed (exit " + exitValue + "):\n" + text);
		}
		return text;
	}

}
