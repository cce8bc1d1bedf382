package io.worker.bench.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the worker JVMs of one scenario recorded: each task's runs, read from their record files. */
final class Records {

	/** One completed run of a task's handler, in epoch milliseconds. */
	record Run(long start, long end) {

	}

	private final Map<Integer, List<Run>> runs = new HashMap<>();

	private Records() {
	}

	static Records read(Path directory) throws IOException {
		Records records = new Records();
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".records")).toList()) {
				for (String line : Files.readAllLines(file)) {
					String[] fields = line.split(" ");
					// a JVM killed mid-write leaves at most a torn last line: not a completed run
					if (fields.length == 3 && !fields[2].isEmpty()) {
						records.runs.computeIfAbsent(Integer.parseInt(fields[0]), (id) -> new ArrayList<>())
							.add(new Run(Long.parseLong(fields[1]), Long.parseLong(fields[2])));
					}
				}
			}
		}
		records.runs.values().forEach((list) -> list.sort((a, b) -> Long.compare(a.end(), b.end())));
		return records;
	}

	/** How many of the tasks {@code 0..tasks-1} ran at least once. */
	int distinct(int tasks) {
		return (int) this.runs.keySet().stream().filter((id) -> id < tasks).count();
	}

	int runs(int id) {
		return this.runs.getOrDefault(id, List.of()).size();
	}

	/** The ids of the tasks that ran more than once. */
	List<Integer> duplicated() {
		return this.runs.entrySet().stream().filter((entry) -> entry.getValue().size() > 1).map(Map.Entry::getKey).sorted().toList();
	}

	/** The first run of a task. */
	Run first(int id) {
		return this.runs.get(id).get(0);
	}

	/** The end of the first run that ended after {@code millis}, or -1. */
	long firstEndAfter(long millis) {
		return this.runs.values().stream().flatMap(List::stream).mapToLong(Run::end).filter((end) -> end > millis).min().orElse(-1);
	}

	/** The end of the last run. */
	long lastEnd() {
		return this.runs.values().stream().flatMap(List::stream).mapToLong(Run::end).max().orElse(-1);
	}

}
