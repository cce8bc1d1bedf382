package io.worker.backend.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.worker.ScheduleFire;
import io.worker.spi.ScheduleStore;
import org.jspecify.annotations.Nullable;

/**
 * The schedules of an {@link InMemoryTaskStore}: every runtime sharing that store instance shares
 * them, and its claims, so a tick fires once among them. Claims expire on the store's clock.
 */
final class InMemoryScheduleStore implements ScheduleStore {

	private final Clock clock;

	private final Map<String, Entry> schedules = new LinkedHashMap<>();

	private final Map<String, Instant> claims = new HashMap<>();

	InMemoryScheduleStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public synchronized void save(String name, Map<String, String> definition) {
		this.schedules.computeIfAbsent(name, (key) -> new Entry()).definition = Map.copyOf(definition);
	}

	@Override
	public synchronized boolean remove(String name) {
		return this.schedules.remove(name) != null;
	}

	@Override
	public synchronized Optional<StoredSchedule> get(String name) {
		Entry entry = this.schedules.get(name);
		return (entry != null) ? Optional.of(entry.view(name)) : Optional.empty();
	}

	@Override
	public synchronized List<StoredSchedule> list() {
		List<StoredSchedule> all = new ArrayList<>();
		this.schedules.forEach((name, entry) -> all.add(entry.view(name)));
		return all;
	}

	@Override
	public synchronized boolean claimTick(String name, Instant tick, Duration ttl) {
		Instant now = this.clock.instant();
		this.claims.values().removeIf((expiry) -> !expiry.isAfter(now));
		return this.claims.putIfAbsent(name + "\u0000" + tick.toEpochMilli(), now.plus(ttl)) == null;
	}

	@Override
	public synchronized void advance(String name, Instant tick) {
		Entry entry = this.schedules.get(name);
		if (entry != null) {
			entry.advance(tick);
		}
	}

	@Override
	public synchronized void recordFire(String name, ScheduleFire fire, boolean manual, int historySize) {
		Entry entry = this.schedules.get(name);
		if (entry == null) {
			return;
		}
		if (!manual) {
			entry.advance(fire.tick());
		}
		entry.history.add(0, fire);
		while (entry.history.size() > historySize) {
			entry.history.remove(entry.history.size() - 1);
		}
	}

	private static final class Entry {

		private Map<String, String> definition = Map.of();

		private @Nullable Instant lastTick;

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
