package io.worker.bench;

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
 * the same settings: the same task count, concurrency and rate, {@code removeOnComplete}. Installs
 * its npm packages into {@code bullmq/node_modules} on first use.
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

	@Override
	public boolean supports(Workload workload) {
		return workload != Workload.SCALE;
	}

	/** Run {@code npm ci} unless BullMQ is installed already. */
	public void install() throws IOException, InterruptedException {
		if (Files.isDirectory(this.directory.resolve("node_modules/bullmq"))) {
			return;
		}
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
			return new Figures(figures.get("throughput").asDouble(), (latency != null)
					? new Latency(latency.get("p50").asDouble(), latency.get("p99").asDouble(), latency.get("max").asDouble())
					: null, null);
		}
		finally {
			this.redis.deleteKeys(prefix);
		}
	}

	private String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(this.directory.toFile()).redirectErrorStream(true).start();
		process.getOutputStream().close();
		// read before waiting, so that a full pipe cannot stall the process
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
		}
		String text = new String(output, StandardCharsets.UTF_8);
		if (process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
					+ text);
		}
		return text;
	}

}
