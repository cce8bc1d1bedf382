package io.worker.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton of a background component: one step ({@link #exec()}) run at a fixed interval. A
 * failing step is logged and tried again at the next interval, so a backend outage pauses the
 * component without stopping it.
 */
abstract class PeriodicComponent {

	private final Logger logger = LoggerFactory.getLogger(getClass());

	private final Duration interval;

	private @Nullable ScheduledFuture<?> schedule;

	private boolean failing;

	private volatile boolean stopped;

	PeriodicComponent(Duration interval) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException(getClass().getSimpleName() + " interval must be positive");
		}
		this.interval = interval;
	}

	/** Do one step of this component's job. */
	abstract void exec();

	synchronized void start(ScheduledExecutorService scheduler) {
		this.stopped = false;
		this.schedule = scheduler.scheduleWithFixedDelay(this::safeExec, 0, this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	synchronized void stop() {
		this.stopped = true;
		if (this.schedule != null) {
			this.schedule.cancel(false);
			this.schedule = null;
		}
	}

	private void safeExec() {
		try {
			exec();
			if (this.failing) {
				this.logger.info("{} works again", getClass().getSimpleName());
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (this.stopped) {
				// stopping interrupted the step inside the client library
				return;
			}
			if (!this.failing) {
				this.logger.warn("{} failed; trying again every {}: {}", getClass().getSimpleName(), this.interval,
						ex.toString());
				this.failing = true;
			}
		}
	}

}
