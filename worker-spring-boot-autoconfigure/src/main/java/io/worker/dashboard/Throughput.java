package io.worker.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskOutcome;
import io.worker.spi.TaskMessage;

/**
 * The attempts this process finished per minute over the last hour, processed and failed, for the
 * overview's chart: no backend keeps such a history, so the dashboard keeps a ring of 60 minutes.
 */
public final class Throughput implements TaskEventListener {

	static final int MINUTES = 60;

	private final Clock clock;

	// per slot: the minute it counts (epoch minutes), processed, failed
	private final AtomicLongArray minute = new AtomicLongArray(MINUTES);

	private final AtomicLongArray processed = new AtomicLongArray(MINUTES);

	private final AtomicLongArray failed = new AtomicLongArray(MINUTES);

	/** A ring reading the time from the clock. */
	public Throughput(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void finished(TaskMessage task, TaskOutcome outcome, Duration duration) {
		if (outcome == TaskOutcome.REQUEUED || outcome == TaskOutcome.ABANDONED) {
			return;
		}
		long now = nowMinute();
		int slot = (int) (now % MINUTES);
		long seen = this.minute.get(slot);
		// the first event of a new minute resets the slot it reuses
		if (seen != now && this.minute.compareAndSet(slot, seen, now)) {
			this.processed.set(slot, 0);
			this.failed.set(slot, 0);
		}
		this.processed.incrementAndGet(slot);
		if (outcome != TaskOutcome.SUCCESS) {
			this.failed.incrementAndGet(slot);
		}
	}

	/** Processed and failed per minute, oldest first, the current minute last. */
	long[][] lastHour() {
		long now = nowMinute();
		long[][] counts = new long[MINUTES][2];
		for (int i = 0; i < MINUTES; i++) {
			long m = now - (MINUTES - 1) + i;
			int slot = (int) (m % MINUTES);
			if (this.minute.get(slot) == m) {
				counts[i][0] = this.processed.get(slot);
				counts[i][1] = this.failed.get(slot);
			}
		}
		return counts;
	}

	private long nowMinute() {
		return this.clock.millis() / 60_000;
	}

}
