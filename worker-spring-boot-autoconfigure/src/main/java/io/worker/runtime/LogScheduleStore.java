package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.worker.ScheduleFire;
import io.worker.runtime.ScheduleLogRecords.Advance;
import io.worker.runtime.ScheduleLogRecords.Claim;
import io.worker.runtime.ScheduleLogRecords.Fire;
import io.worker.runtime.ScheduleLogRecords.LogRecord;
import io.worker.runtime.ScheduleLogRecords.Remove;
import io.worker.runtime.ScheduleLogRecords.Save;
import io.worker.runtime.ScheduleLogRecords.Snap;
import io.worker.spi.ScheduleLog;
import io.worker.spi.ScheduleStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ScheduleStore} over a {@link ScheduleLog}, for brokers that cannot claim a key
 * atomically: every change is a record appended to the log, and every instance replays the log, so
 * all of them hold the same schedules. A claim is a record with a unique id; the first claim of a
 * tick in log order that is after the schedule's last tick (and its latest won claim) wins, and the
 * claimer learns whether it won by reading the log up to its own record. Fires are recorded before
 * their task is enqueued ({@link #recordsBeforeEnqueue()}), so a tick is final once its fire record
 * is confirmed.
 * <p>
 * The store catches up with the log before every read and after every append. Every so many
 * entries an instance appends a snapshot of the whole state, so that the log can be bounded by
 * retention: a replay that finds the log truncated (its first retained record is not the one it
 * expected) starts from the first snapshot whose base is retained. A record that cannot be read is
 * logged and skipped, by every instance alike.
 */
public final class LogScheduleStore implements ScheduleStore {

	private static final Logger logger = LoggerFactory.getLogger(LogScheduleStore.class);

	/** Log entries between two snapshots, by default. */
	public static final int DEFAULT_SNAPSHOT_EVERY = 500;

	private final ScheduleLog log;

	private final int snapshotEvery;

	private final ScheduleLogState state = new ScheduleLogState();

	/** The decisions on this store's own claims, by claim id, until their claimer reads them. */
	private final Map<String, @Nullable Boolean> decisions = new HashMap<>();

	private long position = -1;

	private long sinceSnapshot;

	/**
	 * A store over {@code log}, with a snapshot every {@value #DEFAULT_SNAPSHOT_EVERY} records.
	 * @param log the log every instance shares
	 */
	public LogScheduleStore(ScheduleLog log) {
		this(log, DEFAULT_SNAPSHOT_EVERY);
	}

	/**
	 * A store over {@code log}.
	 * @param log the log every instance shares
	 * @param snapshotEvery after how many log entries (records and fillers) an instance appends a
	 * snapshot
	 */
	public LogScheduleStore(ScheduleLog log, int snapshotEvery) {
		if (snapshotEvery < 1) {
			throw new IllegalArgumentException("snapshotEvery must be at least 1, was " + snapshotEvery);
		}
		this.log = log;
		this.snapshotEvery = snapshotEvery;
	}

	@Override
	public synchronized void save(String name, Map<String, String> definition) {
		append(new Save(name, definition));
	}

	@Override
	public synchronized boolean remove(String name) {
		catchUp();
		if (!this.state.contains(name)) {
			return false;
		}
		append(new Remove(name));
		return true;
	}

	@Override
	public synchronized Optional<StoredSchedule> get(String name) {
		catchUp();
		return Optional.ofNullable(this.state.get(name));
	}

	@Override
	public synchronized List<StoredSchedule> list() {
		catchUp();
		return this.state.list();
	}

	/**
	 * Claim a tick through the log. The claim does not expire: {@code ttl} is not needed because a
	 * won claim also refuses every later claim of the same or an earlier tick.
	 */
	@Override
	public synchronized boolean claimTick(String name, Instant tick, Duration ttl) {
		catchUp();
		if (!this.state.claimable(name, tick)) {
			return false; // it would lose anyway: spare the log a record
		}
		String id = UUID.randomUUID().toString();
		this.decisions.put(id, null);
		try {
			append(new Claim(name, tick, id));
			Boolean won = this.decisions.get(id);
			if (won == null) {
				throw new IllegalStateException("The claim of tick " + tick + " of schedule '" + name
						+ "' was confirmed but not found in the schedule log");
			}
			return won;
		}
		finally {
			this.decisions.remove(id);
		}
	}

	@Override
	public synchronized void advance(String name, Instant tick) {
		append(new Advance(name, tick));
	}

	@Override
	public synchronized void recordFire(String name, ScheduleFire fire, boolean manual, int historySize) {
		append(new Fire(name, fire, manual, historySize));
	}

	/** Always: a broker cannot refuse a duplicate task id, so the confirmed fire record decides. */
	@Override
	public boolean recordsBeforeEnqueue() {
		return true;
	}

	private void append(LogRecord record) {
		this.log.append(ScheduleLogRecords.encode(record));
		catchUp();
	}

	/**
	 * Read what the log holds past this store's position, then append a snapshot when the log grew
	 * by {@code snapshotEvery} entries since the last one. Fillers count: on a log read more than it
	 * is written, they are most of what retention drops, and a snapshot must outlive them.
	 */
	private void catchUp() {
		readLog();
		if (this.sinceSnapshot >= this.snapshotEvery) {
			try {
				this.log.append(ScheduleLogRecords.encode(new Snap(this.position, this.state.snapshot())));
			}
			catch (IllegalStateException ex) {
				// a later catch-up tries again; the state read so far stands
				logger.warn("Could not append a snapshot to the schedule log: {}", ex.getMessage());
				return;
			}
			readLog();
		}
	}

	private void readLog() {
		List<ScheduleLog.Entry> entries = this.log.readAfter(this.position);
		if (entries.isEmpty()) {
			return;
		}
		if (entries.get(0).position() != this.position + 1) {
			replayTruncated(entries);
			return;
		}
		entries.forEach(this::apply);
	}

	/**
	 * Rebuild the state from a log whose records before {@code entries} are gone: from the first
	 * snapshot whose base is still retained, then every record after its base.
	 */
	private void replayTruncated(List<ScheduleLog.Entry> entries) {
		long firstRetained = entries.get(0).position();
		Snap from = null;
		Snap fallback = null;
		for (ScheduleLog.Entry entry : entries) {
			if (readable(entry) instanceof Snap snap) {
				fallback = (fallback != null) ? fallback : snap;
				if (snap.base() >= firstRetained - 1) {
					from = snap;
					break;
				}
			}
		}
		if (from == null) {
			from = fallback;
			logger.error("The schedule log was truncated at position {} past every snapshot it retains; "
					+ "schedules replay from {}, and what was before is lost", firstRetained,
					(from != null) ? "the first snapshot" : "the first retained record");
		}
		long base = (from != null) ? from.base() : firstRetained - 1;
		this.state.restore((from != null) ? from.schedules() : List.of());
		this.sinceSnapshot = 0;
		for (ScheduleLog.Entry entry : entries) {
			if (entry.position() > base) {
				apply(entry);
			}
			else {
				this.position = entry.position();
			}
		}
	}

	private static @Nullable LogRecord readable(ScheduleLog.Entry entry) {
		try {
			return ScheduleLogRecords.decode(entry.record());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private void apply(ScheduleLog.Entry entry) {
		this.position = entry.position();
		if (entry.record().length == 0) {
			this.sinceSnapshot++; // a filler of the log's own, holding a position
			return;
		}
		LogRecord record;
		try {
			record = ScheduleLogRecords.decode(entry.record());
		}
		catch (IllegalArgumentException ex) {
			// every instance skips it alike, so their states stay the same
			logger.error("Skipped an unreadable record at position {} of the schedule log ({} bytes): {}",
					entry.position(), entry.record().length, ex.getMessage());
			this.sinceSnapshot++;
			return;
		}
		if (record instanceof Snap) {
			this.sinceSnapshot = 0; // the replayed state already holds what it holds
			return;
		}
		this.sinceSnapshot++;
		if (record instanceof Save save) {
			this.state.save(save.name(), save.definition());
		}
		else if (record instanceof Remove remove) {
			this.state.remove(remove.name());
		}
		else if (record instanceof Claim claim) {
			boolean won = this.state.claim(claim.name(), claim.tick());
			if (this.decisions.containsKey(claim.id())) {
				this.decisions.put(claim.id(), won);
			}
		}
		else if (record instanceof Advance advance) {
			this.state.advance(advance.name(), advance.tick());
		}
		else if (record instanceof Fire fire) {
			this.state.fire(fire.name(), fire.fire(), fire.manual(), fire.historySize());
		}
	}

}
