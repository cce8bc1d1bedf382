package io.worker.backend.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * One {@code redis-server} (or sentinel) of the tests' own on a loopback port, in a directory of
 * its own under {@code target/}. It writes a pid file there, so that a server left behind by an
 * earlier test JVM that died is found and stopped by pid before the port is reused: only servers
 * started here are ever stopped.
 */
final class RedisServerProcess {

	private static final String REDIS_SERVER = "/usr/bin/redis-server";

	private static final String REDIS_CLI = "/usr/bin/redis-cli";

	private final int port;

	private final Path dir;

	private final List<String> arguments;

	private final @Nullable String config;

	private Process process;

	/**
	 * @param port the loopback port
	 * @param dir the server's own directory (its data, config, pid and log files)
	 * @param arguments the arguments after the port, such as {@code --cluster-enabled yes}
	 */
	RedisServerProcess(int port, Path dir, List<String> arguments) {
		this(port, dir, null, arguments);
	}

	/**
	 * @param port the loopback port
	 * @param dir the server's own directory (its data, config, pid and log files)
	 * @param config the text of a config file the server starts from (a sentinel needs one it can rewrite)
	 * @param arguments the arguments after the config file and before the port, such as {@code --sentinel}
	 */
	RedisServerProcess(int port, Path dir, @Nullable String config, List<String> arguments) {
		this.port = port;
		this.dir = dir;
		this.config = config;
		this.arguments = List.copyOf(arguments);
	}

	/**
	 * The first of {@code size} consecutive loopback ports that are free now, from a random start,
	 * so that two test runs on one machine (or a service that holds a fixed port) do not collide.
	 */
	static int freePorts(int size) {
		int first = 20000 + ThreadLocalRandom.current().nextInt(20000);
		for (int attempt = 0; attempt < 100; attempt++, first += size) {
			if (first + size > 60000) {
				first = 20000;
			}
			if (allFree(first, size)) {
				return first;
			}
		}
		throw new IllegalStateException("No " + size + " consecutive free loopback ports found");
	}

	private static boolean allFree(int first, int size) {
		for (int port = first; port < first + size; port++) {
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	/** A directory under {@code target/} for the servers of one topology. */
	static Path directory(String topology) {
		return Path.of("target", "redis-" + topology).toAbsolutePath();
	}

	int port() {
		return this.port;
	}

	Path dir() {
		return this.dir;
	}

	/** Start the server in an emptied directory, and wait until it answers. */
	void start() {
		try {
			stopLeftOver();
			deleteDirectory();
			Files.createDirectories(this.dir);
			if (this.config != null) {
				Files.writeString(configFile(), this.config);
			}
			startInPlace();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Start the server again on the files it left (a restart after {@link #kill()}). */
	void startInPlace() {
		List<String> command = new ArrayList<>(List.of(REDIS_SERVER));
		if (this.config != null) {
			command.add(configFile().toString());
		}
		command.addAll(this.arguments);
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--dir",
				this.dir.toString(), "--pidfile", pidFile().toString(), "--daemonize", "no"));
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(new File(this.dir.toFile(), "server.log")))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				if (!this.process.isAlive()) {
					fail("redis-server on port " + this.port + " exited; see " + this.dir.resolve("server.log"));
				}
				return cli("PING").equals("PONG");
			});
		}
		catch (RuntimeException ex) {
			kill();
			throw ex;
		}
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** Stop the server at once (SIGKILL), as a crash would. */
	void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Run {@code redis-cli} against this server and answer what it printed, trimmed. */
	String cli(String... args) {
		List<String> command = new ArrayList<>(List.of(REDIS_CLI, "-h", "127.0.0.1", "-p", Integer.toString(this.port)));
		command.addAll(List.of(args));
		return run(command);
	}

	static String run(List<String> command) {
		try {
			Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = cli.getInputStream().readAllBytes();
			if (!cli.waitFor(60, TimeUnit.SECONDS)) {
				cli.destroyForcibly();
				throw new IllegalStateException("Timed out: " + command);
			}
			return new String(output, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A server an earlier JVM started in this directory and never stopped. */
	private void stopLeftOver() throws IOException {
		Path pidFile = pidFile();
		if (!Files.exists(pidFile)) {
			return;
		}
		long pid = Long.parseLong(Files.readString(pidFile).trim());
		Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
		// a server shows its address in its process title: the pid is not someone else's by now
		if (!Files.exists(cmdline) || !Files.readString(cmdline).contains("127.0.0.1:" + this.port)) {
			return;
		}
		ProcessHandle.of(pid).ifPresent((handle) -> {
				handle.destroyForcibly();
				handle.onExit().join();
			});
	}

	private void deleteDirectory() throws IOException {
		if (Files.exists(this.dir)) {
			try (var paths = Files.walk(this.dir)) {
				for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
					Files.delete(path);
				}
			}
		}
	}

	private Path configFile() {
		return this.dir.resolve("redis.conf");
	}

	private Path pidFile() {
		return this.dir.resolve("server.pid");
	}

}
