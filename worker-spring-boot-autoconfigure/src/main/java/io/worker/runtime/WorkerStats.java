package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * Counts what this process's server did since it started, for health details.
 */
public final class WorkerStats implements TaskEventListener {

	private final AtomicLong processed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicReference<@Nullable Instant> lastHeartbeat = new AtomicReference<>();

	@Override
	public void finished(TaskMessage task, TaskOutcome outcome, Duration duration) {
		if (outcome == TaskOutcome.SUCCESS) {
			this.processed.incrementAndGet();
		}
		else if (outcome == TaskOutcome.RETRIED || outcome == TaskOutcome.ARCHIVED) {
			this.processed.incrementAndGet();
			this.failed.incrementAndGet();
		}
	}

	@Override
	public void heartbeat(Instant at) {
		this.lastHeartbeat.set(at);
	}

	/** Attempts that ended in success or failure. */
	public long processed() {
		return this.processed.get();
	}

	/** Attempts that failed. */
	public long failed() {
		return this.failed.get();
	}

	/** When the server last reported, or {@code null}. */
	public @Nullable Instant lastHeartbeat() {
		return this.lastHeartbeat.get();
	}

}
