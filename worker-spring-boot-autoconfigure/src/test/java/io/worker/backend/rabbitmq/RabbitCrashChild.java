package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.TaskContext;
import io.worker.TaskHandler;
import io.worker.testsupport.ServiceAddress;
import io.worker.testsupport.TestRabbit;

/**
 * The worker JVM {@link RabbitCrashTests} kills with SIGKILL: a {@link RabbitWorker} on the test's
 * virtual host whose handler blocks every task it starts once it has completed {@code blockAfter},
 * so that the kill lands mid-task. Arguments: host, port, virtual host, prefix, queue, blockAfter,
 * journal file.
 */
public final class RabbitCrashChild {

	static final String TYPE = "crash:record";

	private RabbitCrashChild() {
	}

	public static void main(String[] args) throws InterruptedException {
		RabbitSettings settings = RabbitCrashTests.settings(args[3]);
		Handlers handlers = new Handlers(Path.of(args[6]), Integer.parseInt(args[5]));
		ServiceAddress rabbit = new ServiceAddress(args[0], Integer.parseInt(args[1]));
		new RabbitWorker(TestRabbit.connectionFactory(rabbit, args[2]), settings, args[4], 3, handlers).start();
		// runs until it is killed
		new CountDownLatch(1).await();
	}

	/**
	 * Appends a line to a journal file for every start of a task ({@code start <payload> <attempt>}),
	 * every completion ({@code done <payload>}) and, past {@code blockAfter} completions in this JVM,
	 * every task it then blocks until interrupted ({@code blocked <payload>}). Each line is one
	 * {@code write} to a file opened for appending, so a kill never leaves half a line behind but the
	 * last, unterminated one, which {@link Journal#read} ignores.
	 */
	static final class Handlers {

		private final Path journal;

		private final int blockAfter;

		private final AtomicInteger completedHere = new AtomicInteger();

		Handlers(Path journal, int blockAfter) {
			this.journal = journal;
			this.blockAfter = blockAfter;
		}

		@TaskHandler(TYPE)
		public void record(String payload, TaskContext context) throws InterruptedException {
			append("start " + payload + " " + context.attempt());
			if (this.completedHere.get() >= this.blockAfter) {
				append("blocked " + payload);
				new CountDownLatch(1).await();
			}
			append("done " + payload);
			this.completedHere.incrementAndGet();
		}

		private synchronized void append(String line) {
			try {
				Files.write(this.journal, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
						StandardOpenOption.APPEND, StandardOpenOption.WRITE);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/** What a journal file says: the attempts each payload started with, what completed, what blocked. */
	record Journal(Map<String, List<Integer>> attempts, Set<String> done, Set<String> blocked) {

		static Journal read(Path file) {
			Map<String, List<Integer>> attempts = new HashMap<>();
			Set<String> done = new HashSet<>();
			Set<String> blocked = new HashSet<>();
			if (Files.exists(file)) {
				String text;
				try {
					text = Files.readString(file, StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				int end = text.lastIndexOf('\n');
				for (String line : (end < 0) ? new String[0] : text.substring(0, end).split("\n")) {
					String[] words = line.split(" ");
					switch (words[0]) {
						case "start" -> attempts.computeIfAbsent(words[1], (key) -> new ArrayList<>())
							.add(Integer.parseInt(words[2]));
						case "done" -> done.add(words[1]);
						case "blocked" -> blocked.add(words[1]);
						default -> throw new IllegalStateException("not a journal line: " + line);
					}
				}
			}
			return new Journal(attempts, done, blocked);
		}

	}

}
