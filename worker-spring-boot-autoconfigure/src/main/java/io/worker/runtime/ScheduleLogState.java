package io.worker.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.worker.ScheduleFire;
import io.worker.spi.ScheduleStore.StoredSchedule;
import org.jspecify.annotations.Nullable;

/**
 * The schedules a {@link LogScheduleStore} replayed: the fold of a schedule log's records, the
 * same on every instance because each applies the same records in the same order. It decides the
 * claims: a claim of a tick wins when the tick is after both the schedule's last tick and its
 * latest won claim, so the first claim of a tick in log order wins and every later one loses.
 */
final class ScheduleLogState {

	/** The most fires a history keeps whatever a fire record asks, so that a snapshot stays small. */
	static final int MAX_HISTORY = 1_000;

	private final Map<String, Entry> schedules = new LinkedHashMap<>();

	void save(String name, Map<String, String> definition) {
		this.schedules.computeIfAbsent(name, (key) -> new Entry()).definition = Map.copyOf(definition);
	}

	void remove(String name) {
		this.schedules.remove(name);
	}

	/** Apply a claim, answering whether it won its tick. */
	boolean claim(String name, Instant tick) {
		Entry entry = this.schedules.get(name);
		if (entry == null || !claimable(entry, tick)) {
			return false;
		}
		entry.claimed = tick;
		return true;
	}

	/** Whether a claim of {@code tick} appended now would win, as far as this state knows. */
	boolean claimable(String name, Instant tick) {
		Entry entry = this.schedules.get(name);
		return entry != null && claimable(entry, tick);
	}

	void advance(String name, Instant tick) {
		Entry entry = this.schedules.get(name);
		if (entry != null) {
			entry.advance(tick);
		}
	}

	void fire(String name, ScheduleFire fire, boolean manual, int historySize) {
		Entry entry = this.schedules.get(name);
		if (entry == null) {
			return;
		}
		if (!manual) {
			entry.advance(fire.tick());
		}
		entry.history.add(0, fire);
		int keep = Math.max(1, Math.min(historySize, MAX_HISTORY));
		while (entry.history.size() > keep) {
			entry.history.remove(entry.history.size() - 1);
		}
	}

	boolean contains(String name) {
		return this.schedules.containsKey(name);
	}

	@Nullable StoredSchedule get(String name) {
		Entry entry = this.schedules.get(name);
		return (entry != null) ? entry.view(name) : null;
	}

	List<StoredSchedule> list() {
		List<StoredSchedule> all = new ArrayList<>();
		this.schedules.forEach((name, entry) -> all.add(entry.view(name)));
		return all;
	}

	/** Every schedule with its latest won claim, for a snapshot. */
	List<Snapshot> snapshot() {
		List<Snapshot> all = new ArrayList<>();
		this.schedules.forEach((name, entry) -> all.add(new Snapshot(entry.view(name), entry.claimed)));
		return all;
	}

	/** Replace everything with a snapshot's schedules. */
	void restore(List<Snapshot> snapshot) {
		this.schedules.clear();
		for (Snapshot schedule : snapshot) {
			Entry entry = new Entry();
			entry.definition = schedule.schedule().definition();
			entry.lastTick = schedule.schedule().lastTick();
			entry.claimed = schedule.claimed();
			entry.history.addAll(schedule.schedule().history());
			this.schedules.put(schedule.schedule().name(), entry);
		}
	}

	private static boolean claimable(Entry entry, Instant tick) {
		return (entry.lastTick == null || tick.isAfter(entry.lastTick))
				&& (entry.claimed == null || tick.isAfter(entry.claimed));
	}

	/**
	 * A schedule in a snapshot.
	 *
	 * @param schedule the schedule as stored
	 * @param claimed its latest won claim, or {@code null} for none
	 */
	record Snapshot(StoredSchedule schedule, @Nullable Instant claimed) {
	}

	private static final class Entry {

		private Map<String, String> definition = Map.of();

		private @Nullable Instant lastTick;

		private @Nullable Instant claimed;

		private final List<ScheduleFire> history = new ArrayList<>();

		void advance(Instant tick) {
			if (this.lastTick == null || tick.isAfter(this.lastTick)) {
				this.lastTick = tick;
			}
		}

		StoredSchedule view(String name) {
			return new StoredSchedule(name, this.definition, this.lastTick, this.history);
		}

	}

}
