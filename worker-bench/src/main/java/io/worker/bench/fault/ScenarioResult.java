package io.worker.bench.fault;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The figures of one scenario.
 *
 * @param ran how many of the tasks ran at least once
 * @param duplicates tasks that ran more than once
 * @param unexplained duplicates whose first run was not in flight during a fault
 * @param recoveries per fault, from its end to the next completed task, ms (-1: none)
 * @param activeLeft what the inspector counts active at the end
 * @param enqueueWhileDown what an enqueue while the broker was down did, or {@code null}
 * @param ghost runs of the task whose enqueue failed while the broker was down
 * @param error why the scenario could not finish, or {@code null}
 */
record ScenarioResult(String backend, Fault fault, int tasks, int ran, int duplicates, long unexplained,
		List<Long> recoveries, String activeLeft, long totalMillis, String enqueueWhileDown, int ghost, String error) {

	static ScenarioResult failed(String backend, Fault fault, int tasks, Exception ex) {
		return new ScenarioResult(backend, fault, tasks, 0, 0, 0, List.of(), "?", 0, null, 0, String.valueOf(ex));
	}

	boolean passed() {
		return this.error == null && this.ran == this.tasks && this.unexplained == 0 && this.ghost == 0
				&& (this.activeLeft.startsWith("0") || this.activeLeft.startsWith("n/a (backlog 0)"))
				&& (this.fault != Fault.BROKER_RESTARTED || (this.enqueueWhileDown != null && this.enqueueWhileDown.startsWith("failed")));
	}

	String summary() {
		return (this.error != null) ? "FAILED: " + this.error
				: String.format(Locale.ROOT, "%s: %,d of %,d ran, %d duplicates (%d unexplained), recovery %s, active left %s%s",
						passed() ? "passed" : "FAILED", this.ran, this.tasks, this.duplicates, this.unexplained,
						recoveryText(), this.activeLeft, (this.enqueueWhileDown != null) ? "; enqueue while down " + this.enqueueWhileDown : "");
	}

	private String recoveryText() {
		return this.recoveries.stream().map((ms) -> (ms < 0) ? "none" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0))
			.collect(Collectors.joining(", "));
	}

	static String table(List<ScenarioResult> results) {
		StringBuilder table = new StringBuilder(
				"| backend | fault | tasks in | ran | duplicates | of them not in flight | recovery | active left | total | result |\n"
						+ "|---|---|---:|---:|---:|---:|---|---|---:|---|\n");
		for (ScenarioResult result : results) {
			table.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %d | %d | %s | %s | %.0f s | %s |%n", result.backend,
					result.fault.title(), result.tasks, result.ran, result.duplicates, result.unexplained,
					result.recoveryText(), result.activeLeft, result.totalMillis / 1000.0,
					(result.error != null) ? "failed: " + result.error.replace('|', '/') : result.passed() ? "passed" : "FAILED"));
		}
		table.append("\nEnqueue while the broker was down:\n\n");
		for (ScenarioResult result : results) {
			if (result.enqueueWhileDown != null) {
				table.append(String.format(Locale.ROOT, "- %s: %s%s%n", result.backend, result.enqueueWhileDown.replace('\n', ' '),
						(result.ghost > 0) ? " — but the task ran " + result.ghost + " time(s) later" : "; the refused task never ran"));
			}
		}
		return table.toString();
	}

}
