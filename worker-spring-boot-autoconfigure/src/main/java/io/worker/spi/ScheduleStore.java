package io.worker.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.worker.ScheduleFire;
import org.jspecify.annotations.Nullable;

/**
 * Where a backend keeps recurring tasks for every instance sharing it: the definitions, the last
 * tick each schedule fired or skipped, a bounded fire history, and the claims that make a tick
 * fire on one instance only. The runtime's scheduler does the rest: computing ticks, applying the
 * misfire and overlap policies, and enqueueing each tick's task with an id derived from the tick,
 * so that a claim lost in a hand-over between instances cannot enqueue the task twice.
 * <p>
 * Definitions are opaque to the store: a flat map of text the runtime writes and reads.
 */
public interface ScheduleStore {

	/**
	 * The header carrying a tick's id ({@code <schedule>:<tick epoch second>}, or
	 * {@code <schedule>:manual:<uuid>} for a trigger) on a tick's task when the backend gives tasks
	 * their own ids (no {@code EXPLICIT_IDS}); the fire history then names the tick's id.
	 */
	String TICK_HEADER = "worker-schedule-tick";

	/**
	 * Add or replace a schedule's definition, keeping its last tick and history.
	 * @param name the schedule's name
	 * @param definition the runtime's encoding of the schedule
	 */
	void save(String name, Map<String, String> definition);

	/**
	 * Remove a schedule, its last tick and its history.
	 * @return whether it existed
	 */
	boolean remove(String name);

	/** One schedule. */
	Optional<StoredSchedule> get(String name);

	/** Every schedule, in any order. */
	List<StoredSchedule> list();

	/**
	 * Claim one tick of a schedule: atomic across every instance sharing the backend, so exactly
	 * one caller wins each {@code (name, tick)} while the claim lives.
	 * @param name the schedule's name
	 * @param tick the tick's fire instant
	 * @param ttl how long the claim lives; afterwards the last tick must cover it
	 * @return whether this caller won the tick
	 */
	boolean claimTick(String name, Instant tick, Duration ttl);

	/**
	 * Advance the schedule's last tick to {@code tick} unless it is already later (ticks skipped,
	 * or fired, up to there). Does nothing when the schedule does not exist.
	 */
	void advance(String name, Instant tick);

	/**
	 * Record a fire: advance the last tick to {@code fire.tick()} (unless already later, and not for a
	 * manual trigger), make it the last fire, and keep it at the head of the history.
	 * @param name the schedule's name
	 * @param fire what was enqueued
	 * @param manual whether it was a manual trigger, which leaves the last tick alone
	 * @param historySize how many fires the history keeps
	 */
	void recordFire(String name, ScheduleFire fire, boolean manual, int historySize);

	/**
	 * Whether the scheduler must record a tick's fire before it enqueues the tick's task. A store on a
	 * backend that refuses a second task with the same id (memory, Redis) answers {@code false}: the
	 * task is enqueued first with an id derived from the tick, so an instance that dies between the
	 * two steps loses nothing and the next one's enqueue is refused as a duplicate. A store on a
	 * broker, which cannot refuse a duplicate id, answers {@code true}: its confirmed record makes
	 * the tick final, so a hand-over can never enqueue it twice, at the price of losing the tick when
	 * the instance dies between the record and the enqueue. Such a store's {@link #claimTick} must
	 * refuse a tick that is not after the recorded last tick.
	 * @return whether fires are recorded before their task is enqueued
	 */
	default boolean recordsBeforeEnqueue() {
		return false;
	}

	/**
	 * A schedule as stored.
	 *
	 * @param name its name
	 * @param definition the runtime's encoding
	 * @param lastTick the last tick fired or skipped, or {@code null} before the first
	 * @param history the latest fires, newest first; the head is the last fire
	 */
	record StoredSchedule(String name, Map<String, String> definition, @Nullable Instant lastTick,
			List<ScheduleFire> history) {

		public StoredSchedule {
			definition = Map.copyOf(definition);
			history = List.copyOf(history);
		}

	}

}
