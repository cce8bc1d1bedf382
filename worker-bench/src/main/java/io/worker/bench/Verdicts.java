package io.worker.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.worker.bench.Subject.Role;
import org.jspecify.annotations.Nullable;

/**
 * The targets a run's rows settle by themselves, each as one line saying met or missed with its
 * figures: cost per task flat over the scale workload's queue sizes, and Redis memory per queued
 * task no more than BullMQ's for the same workload.
 */
final class Verdicts {

	/** How far the cost per task at the largest queue size may stray from that at the smallest. */
	static final double FLAT_WITHIN = 0.20;

	private Verdicts() {
	}

	/** Every verdict the rows allow, scale first; empty when they allow none. */
	static List<String> lines(List<Row> rows) {
		List<String> lines = new ArrayList<>(scale(rows));
		lines.addAll(memory(rows));
		return lines;
	}

	/**
	 * For each subject with scale rows at two sizes or more: the cost per task (the inverse of its
	 * throughput) at the largest size against that at the smallest.
	 */
	static List<String> scale(List<Row> rows) {
		Map<String, List<Row>> bySubject = new TreeMap<>();
		for (Row row : rows) {
			if (row.workload() == Workload.SCALE) {
				bySubject.computeIfAbsent(row.subject() + " (" + row.backend() + ")", (key) -> new ArrayList<>()).add(row);
			}
		}
		List<String> lines = new ArrayList<>();
		bySubject.forEach((subject, scaleRows) -> {
			Row smallest = scaleRows.stream().min(Comparator.comparingInt((Row row) -> row.spec().tasks())).orElseThrow();
			Row largest = scaleRows.stream().max(Comparator.comparingInt((Row row) -> row.spec().tasks())).orElseThrow();
			if (smallest == largest) {
				return;
			}
			String target = format("scale, %s: cost per task flat within ±%.0f %%: ", subject, FLAT_WITHIN * 100);
			if (smallest.figures() == null || largest.figures() == null) {
				lines.add(target + "not measured (a row failed)");
				return;
			}
			double small = 1e6 / smallest.figures().throughput();
			double large = 1e6 / largest.figures().throughput();
			double change = large / small - 1;
			lines.add(target + format("%s (%+.0f %%: %.1f µs/task at %,d queued, %.1f µs/task at %,d)",
					(Math.abs(change) <= FLAT_WITHIN) ? "met" : "missed", change * 100, small,
					smallest.spec().tasks(), large, largest.spec().tasks()));
		});
		return lines;
	}

	/** For each row of ours on Redis with its memory per queued task, against BullMQ's in the same row. */
	static List<String> memory(List<Row> rows) {
		List<String> lines = new ArrayList<>();
		for (Row ours : rows) {
			if (ours.role() != Role.OURS || !"redis".equals(ours.backend()) || bytes(ours) == null) {
				continue;
			}
			Optional<Row> peer = rows.stream()
				.filter((row) -> row.role() == Role.PEER && ours.comparable(row) && bytes(row) != null)
				.findFirst();
			if (peer.isEmpty()) {
				continue;
			}
			double our = bytes(ours);
			double their = bytes(peer.get());
			lines.add(format("Redis memory per queued task ≤ %s's, %s, %,d tasks, concurrency %d: %s (%s %,.0f B, %s %,.0f B, %.2f×)",
					peer.get().subject(), ours.workload().title(), ours.spec().tasks(), ours.spec().concurrency(),
					(our <= their) ? "met" : "missed", ours.subject(), our, peer.get().subject(), their, our / their));
		}
		return lines;
	}

	private static @Nullable Double bytes(Row row) {
		return (row.figures() != null) ? row.figures().brokerBytesPerTask() : null;
	}

	private static String format(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

}
