package io.worker.backend.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The ordering-key lanes of one partition: while a task with a key runs, later records with the
 * same key wait here in offset order, and the next one is offered when it finishes. Records
 * without a key never wait. A key always hashes to the same partition, so lanes per partition keep
 * a key's order across the queue. A lane whose task finished while its queue was paused is
 * {@linkplain #park parked}: it stays busy, so the key's order holds, and its next record is offered
 * once the queue is resumed. Used under the windows' lock ({@link PartitionWindows#locked}).
 */
final class KeyLanes {

	/** Key to the records waiting behind its running task; a key is present while its task runs. */
	private final Map<String, ArrayDeque<FetchedRecord>> lanes = new HashMap<>();

	/** Keys whose task finished while nothing could be offered; their next record waits for a resume. */
	private final Set<String> parked = new LinkedHashSet<>();

	private int held;

	/** Whether a task with this key runs: a record with it must {@link #hold wait}. */
	boolean busy(String key) {
		return this.lanes.containsKey(key);
	}

	/** A task with this key was offered: later ones wait until it finishes. */
	void start(String key) {
		this.lanes.putIfAbsent(key, new ArrayDeque<>());
	}

	/** Hold a record until the task running with its key finishes. */
	void hold(String key, FetchedRecord record) {
		this.lanes.get(key).add(record);
		this.held++;
	}

	/**
	 * The task with this key finished: the next record of its lane, which now runs (the lane stays
	 * busy), or {@code null} when none waits (the lane is free).
	 */
	@Nullable FetchedRecord finish(String key) {
		ArrayDeque<FetchedRecord> lane = this.lanes.get(key);
		FetchedRecord next = (lane != null) ? lane.poll() : null;
		if (next == null) {
			this.lanes.remove(key);
		}
		else {
			this.held--;
		}
		return next;
	}

	/**
	 * The task with this key finished but its next record must not be offered now (its queue is
	 * paused): the lane stays busy until {@link #unpark()} hands it back; an empty lane is freed.
	 */
	void park(String key) {
		ArrayDeque<FetchedRecord> lane = this.lanes.get(key);
		if (lane == null || lane.isEmpty()) {
			this.lanes.remove(key);
		}
		else {
			this.parked.add(key);
		}
	}

	/** Whether a lane is parked. */
	boolean hasParked() {
		return !this.parked.isEmpty();
	}

	/** The parked keys, no longer parked: each one's next record is to be offered ({@link #finish}). */
	List<String> unpark() {
		List<String> keys = new ArrayList<>(this.parked);
		this.parked.clear();
		return keys;
	}

	/** The records waiting in every lane. */
	int held() {
		return this.held;
	}

}
