package io.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link TaskClient#enqueueAll(List)} when some tasks were refused. The others were
 * enqueued: {@link #results()} has a {@link TaskInfo} for each of them and {@code null} for each
 * refused one, whose reason is in {@link #failures()} at the same index.
 */
public class BatchEnqueueException extends WorkerException {

	private final List<@Nullable TaskInfo> results;

	private final List<@Nullable RuntimeException> failures;

	public BatchEnqueueException(List<@Nullable TaskInfo> results, List<@Nullable RuntimeException> failures) {
		super(describe(failures));
		this.results = Collections.unmodifiableList(new ArrayList<>(results));
		this.failures = Collections.unmodifiableList(new ArrayList<>(failures));
	}

	/** One entry per task: what was enqueued, or {@code null} where the task was refused. */
	public List<@Nullable TaskInfo> results() {
		return this.results;
	}

	/** One entry per task: why it was refused, or {@code null} where it was enqueued. */
	public List<@Nullable RuntimeException> failures() {
		return this.failures;
	}

	private static String describe(List<@Nullable RuntimeException> failures) {
		long refused = failures.stream().filter(Objects::nonNull).count();
		RuntimeException first = failures.stream().filter(Objects::nonNull).findFirst().orElse(null);
		return refused + " of " + failures.size() + " tasks were refused" + ((first != null) ? "; first: " + first.getMessage() : "");
	}

}
