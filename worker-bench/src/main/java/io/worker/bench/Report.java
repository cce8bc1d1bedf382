package io.worker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.worker.bench.Figures.Latency;
import io.worker.bench.Subject.Role;

/**
 * Prints the rows as a Markdown table, with ratios of ours over the baseline and over BullMQ, then
 * the JVM's memory. A throughput ratio above 1 is better for us; for the latency workload the ratio
 * is of p99 latencies, where below 1 is better.
 */
final class Report {

	private Report() {
	}

	static String table(List<Row> rows) {
		StringBuilder out = new StringBuilder();
		out.append("| workload | backend | subject | tasks | concurrency | throughput/s | p50 ms | p99 ms | max ms "
				+ "| broker bytes/task | ours/baseline | ours/BullMQ |\n");
		out.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
		for (Row row : rows) {
			String workload = (row.workload() == Workload.LATENCY) ? "latency at " + row.spec().rate() + "/s"
					: row.workload().title();
			out.append("| ").append(workload).append(" | ").append(row.backend()).append(" | ").append(row.subject())
				.append(" | ").append(String.format(Locale.ROOT, "%,d", row.spec().tasks())).append(" | ")
				.append(row.workload().isEnqueue() ? producers(row.workload()) : String.valueOf(row.spec().concurrency()))
				.append(" | ");
			Figures figures = row.figures();
			if (figures == null) {
				out.append("failed: ").append(String.valueOf(row.error()).replace('\n', ' ').replace('|', '/'))
					.append(" | | | | | | |\n");
				continue;
			}
			Latency latency = figures.latency();
			out.append(format("%,.0f", figures.throughput())).append(" | ")
				.append((latency != null) ? format("%.2f", latency.p50()) : "").append(" | ")
				.append((latency != null) ? format("%.2f", latency.p99()) : "").append(" | ")
				.append((latency != null) ? format("%.2f", latency.max()) : "").append(" | ")
				.append((figures.brokerBytesPerTask() != null) ? format("%,.0f", figures.brokerBytesPerTask()) : "")
				.append(" | ").append(ratio(row, rows, Role.BASELINE)).append(" | ").append(ratio(row, rows, Role.PEER))
				.append(" |\n");
		}
		return out.toString();
	}

	private static String producers(Workload workload) {
		return (workload == Workload.ENQUEUE_EIGHT) ? "8 producers" : "1 producer";
	}

	private static String ratio(Row ours, List<Row> rows, Role other) {
		if (ours.role() != Role.OURS || ours.figures() == null) {
			return "";
		}
		Optional<Figures> theirs = rows.stream()
			.filter((row) -> row.role() == other && ours.comparable(row) && row.figures() != null)
			.filter((row) -> other != Role.PEER || "redis".equals(ours.backend()))
			.map(Row::figures)
			.findFirst();
		if (theirs.isEmpty()) {
			return "";
		}
		Latency ourLatency = ours.figures().latency();
		Latency theirLatency = theirs.get().latency();
		if (ourLatency != null && theirLatency != null) {
			return format("p99 %.2f×", ourLatency.p99() / theirLatency.p99());
		}
		return format("%.2f×", ours.figures().throughput() / theirs.get().throughput());
	}

	/** The JVM's heap and resident set size now. */
	static String memory() {
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		return format("JVM heap used %,d MiB of %,d MiB committed (max %,d MiB); RSS %s", heap.getUsed() >> 20,
				heap.getCommitted() >> 20, heap.getMax() >> 20, residentSetSize());
	}

	private static String residentSetSize() {
		try {
			return Files.readAllLines(Path.of("/proc/self/status")).stream()
				.filter((line) -> line.startsWith("VmRSS:"))
				.map((line) -> line.substring("VmRSS:".length()).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
