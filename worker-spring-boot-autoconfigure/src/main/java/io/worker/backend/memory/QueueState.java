package io.worker.backend.memory;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * One queue of the in-memory store. Guarded by the store's lock.
 */
final class QueueState {

	final String name;

	/** Every task of the queue, by id. */
	final Map<String, StoredTask> tasks = new LinkedHashMap<>();

	/** Pending tasks in the order they are handed out. */
	final Deque<StoredTask> pending = new ArrayDeque<>();

	/** Scheduled and retry tasks by due time. */
	final NavigableSet<StoredTask> waiting = new TreeSet<>(
			Comparator.comparing((StoredTask task) -> task.readyAt).thenComparingLong((task) -> task.sequence));

	final Map<LocalDate, long[]> dailyCounts = new HashMap<>();

	boolean paused;

	QueueState(String name) {
		this.name = name;
	}

	/** Count a processed task, and a failed one when it failed. */
	void count(LocalDate day, boolean failed) {
		long[] counts = this.dailyCounts.get(day);
		if (counts == null) {
			// a new day: forget the old ones now rather than at every completion
			LocalDate oldestKept = day.minusDays(7);
			this.dailyCounts.keySet().removeIf((other) -> other.isBefore(oldestKept));
			counts = new long[2];
			this.dailyCounts.put(day, counts);
		}
		counts[0]++;
		if (failed) {
			counts[1]++;
		}
	}

	long[] counts(LocalDate day) {
		return this.dailyCounts.getOrDefault(day, new long[2]);
	}

}
