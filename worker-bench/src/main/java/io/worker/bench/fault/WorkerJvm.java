package io.worker.bench.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A worker child JVM ({@link FaultWorker}) that the harness starts, SIGKILLs or stops with SIGTERM. */
final class WorkerJvm {

	private final String name;

	private final Process process;

	private WorkerJvm(String name, Process process) {
		this.name = name;
		this.process = process;
	}

	/** Start {@code name}, recording its completions in {@code directory/name.records}. */
	static WorkerJvm start(String name, Path directory, Map<String, Object> properties) throws IOException {
		List<String> command = FaultBroker.command(FaultBroker.java(), "-Xmx384m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), FaultWorker.class.getName(),
				"--fault.record=" + directory.resolve(name + ".records"));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(directory.resolve(name + ".log").toFile())
			.start();
		return new WorkerJvm(name, process);
	}

	String name() {
		return this.name;
	}

	/** SIGKILL: no shutdown hook, no drain, leases and deliveries left as they are. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	/** SIGTERM: a graceful shutdown, which drains and hands back what it holds. */
	void stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

	boolean alive() {
		return this.process.isAlive();
	}

}
