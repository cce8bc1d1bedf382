package io.worker.bench;

import java.util.List;

import io.worker.bench.Subject.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict lines say met or missed from the rows' figures, with those figures. */
class VerdictsTests {

	@Test
	void costPerTaskWithinTwentyPercentAtTheLargestSizeIsMet() {
		List<String> lines = Verdicts.scale(List.of(scale("Worker", Role.OURS, 10_000, 10_000, null),
				scale("Worker", Role.OURS, 100_000, 5_000, null), scale("Worker", Role.OURS, 1_000_000, 9_000, null)));

		assertThat(lines).containsExactly("scale, Worker (redis): cost per task flat within ±20 %: met "
				+ "(+11 %: 100.0 µs/task at 10,000 queued, 111.1 µs/task at 1,000,000)");
	}

	@Test
	void costPerTaskMoreThanTwentyPercentHigherIsMissed() {
		List<String> lines = Verdicts.scale(List.of(scale("Worker", Role.OURS, 10_000, 10_000, null),
				scale("Worker", Role.OURS, 1_000_000, 8_000, null)));

		assertThat(lines).singleElement().asString().contains(": missed (+25 %:");
	}

	@Test
	void aSingleSizeOrAFailedRowGivesNoFlatnessFigure() {
		assertThat(Verdicts.scale(List.of(scale("Worker", Role.OURS, 10_000, 10_000, null)))).isEmpty();
		Row failed = new Row(Workload.SCALE, "Worker", "redis", Role.OURS, new Spec(1_000_000, 50, 0), null, "lost");

		assertThat(Verdicts.scale(List.of(scale("Worker", Role.OURS, 10_000, 10_000, null), failed)))
			.singleElement().asString().endsWith("not measured (a row failed)");
	}

	@Test
	void memoryPerQueuedTaskIsComparedWithBullMqsInTheSameRow() {
		List<String> lines = Verdicts.memory(List.of(scale("Worker", Role.OURS, 10_000, 10_000, 300.0),
				scale("BullMQ", Role.PEER, 10_000, 9_000, 400.0), scale("Worker", Role.OURS, 100_000, 10_000, 500.0),
				scale("BullMQ", Role.PEER, 100_000, 9_000, 400.0)));

		assertThat(lines).containsExactly(
				"Redis memory per queued task ≤ BullMQ's, scale: drain of N queued, 10,000 tasks, concurrency 50: met "
						+ "(Worker 300 B, BullMQ 400 B, 0.75×)",
				"Redis memory per queued task ≤ BullMQ's, scale: drain of N queued, 100,000 tasks, concurrency 50: missed "
						+ "(Worker 500 B, BullMQ 400 B, 1.25×)");
	}

	@Test
	void noPeerFigureGivesNoMemoryVerdict() {
		assertThat(Verdicts.memory(List.of(scale("Worker", Role.OURS, 10_000, 10_000, 300.0),
				scale("BullMQ", Role.PEER, 10_000, 9_000, null)))).isEmpty();
	}

	private static Row scale(String subject, Role role, int tasks, double throughput, Double bytes) {
		return new Row(Workload.SCALE, subject, "redis", role, new Spec(tasks, 50, 0), new Figures(throughput, null, bytes),
				null);
	}

}
