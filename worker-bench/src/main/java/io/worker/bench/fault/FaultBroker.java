package io.worker.bench.fault;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A broker that a fault run starts itself, on its own port and with persistence on, so that it can
 * restart it: never the machine's shared service. Each says how Worker reaches it directly (the
 * harness's client) and through the {@link TcpProxy} (the worker JVMs).
 */
public abstract class FaultBroker implements AutoCloseable {

	/** The port the broker listens on for the worker JVMs' traffic (the proxy's upstream). */
	public abstract int port();

	/** The port of the proxy in front of it, which the worker JVMs use. */
	public abstract int proxyPort();

	/** The value of {@code worker.backend}. */
	public abstract String backend();

	/** Start it and wait until it serves. */
	public abstract void start() throws Exception;

	/** Stop it gracefully (its data stays on disk for the next start). */
	public abstract void stop() throws Exception;

	/** Spring properties for an application on this broker, at {@code port} (the broker's or the proxy's). */
	public abstract Map<String, Object> properties(int port, String prefix);

	/** The harness's client goes straight to the broker, not through the proxy. */
	public int clientPort() {
		return port();
	}

	/** Stop it and delete its data. */
	@Override
	public abstract void close() throws Exception;

	static void awaitPort(int port, Duration timeout, Process process) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return;
			}
			catch (IOException ex) {
				if (process != null && !process.isAlive()) {
					throw new IllegalStateException("The broker exited (" + process.exitValue() + ") before listening on " + port);
				}
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("Nothing listens on 127.0.0.1:" + port + " after " + timeout);
	}

	static void stopProcess(Process process) throws InterruptedException {
		if (process != null && process.isAlive()) {
			process.destroy(); // SIGTERM: Redis and Kafka shut down cleanly on it
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
	}

	static String run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
		}
		return output;
	}

	static void deleteTree(Path root) throws IOException {
		if (Files.exists(root)) {
			try (Stream<Path> paths = Files.walk(root)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
			}
		}
	}

	static String java() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

	static List<String> command(String... parts) {
		return new ArrayList<>(List.of(parts));
	}

}
