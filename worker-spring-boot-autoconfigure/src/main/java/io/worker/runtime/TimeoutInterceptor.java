package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import io.worker.TaskContext;
import io.worker.TaskInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Interrupts a handler that runs past its timeout or its task's deadline. The attempt then fails
 * (a timeout is retried, a deadline is not); the runtime settles it only after the handler has
 * returned, so a retry never overlaps the attempt it replaces.
 * <p>
 * Each attempt adds an alarm to a concurrent set and removes it when it returns; one watchdog thread
 * sleeps until the earliest alarm is due. (A scheduled future per attempt took a lock shared by all
 * workers twice per task, to schedule and to cancel it.)
 */
public final class TimeoutInterceptor implements TaskInterceptor, Ordered, AutoCloseable {

	/** Runs inside MDC logging, around every interceptor a user adds. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private final Clock clock;

	/** The alarms of the attempts running now. */
	private final Set<Alarm> alarms = ConcurrentHashMap.newKeySet();

	/** {@link System#nanoTime()} at creation: alarm times count from it, so they never overflow. */
	private final long origin = System.nanoTime();

	/**
	 * When the watchdog wakes next, {@link Long#MAX_VALUE} while it looks through the alarms: an alarm
	 * due earlier than this wakes it.
	 */
	private volatile long nextWake = Long.MAX_VALUE;

	private volatile @Nullable Thread watchdog;

	private volatile boolean closed;

	public TimeoutInterceptor(Clock clock) {
		this.clock = clock;
	}

	@Override
	public @Nullable Object intercept(TaskContext context, Chain chain) throws Exception {
		if (!(context instanceof RunningTask task)) {
			return chain.proceed();
		}
		long timeoutNanos = task.timeout().toNanos();
		Instant deadline = task.deadline();
		long deadlineNanos = (deadline != null) ? Duration.between(this.clock.instant(), deadline).toNanos()
				: Long.MAX_VALUE;
		StopReason reason = (deadlineNanos < timeoutNanos) ? StopReason.DEADLINE : StopReason.TIMEOUT;
		long now = elapsedNanos();
		long delay = Math.max(0, Math.min(timeoutNanos, deadlineNanos));
		Alarm alarm = new Alarm(task, reason, (delay < Long.MAX_VALUE - now) ? now + delay : Long.MAX_VALUE);
		this.alarms.add(alarm);
		// added before reading: either the watchdog's look finds the alarm, or this sees its wake time
		if (alarm.due < this.nextWake) {
			wakeWatchdog();
		}
		try {
			return chain.proceed();
		}
		finally {
			this.alarms.remove(alarm);
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** Stop the watchdog thread. */
	@Override
	public void close() {
		this.closed = true;
		Thread thread = this.watchdog;
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

	private long elapsedNanos() {
		return System.nanoTime() - this.origin;
	}

	private void wakeWatchdog() {
		Thread thread = this.watchdog;
		if (thread == null) {
			thread = startWatchdog();
		}
		LockSupport.unpark(thread);
	}

	private synchronized Thread startWatchdog() {
		Thread thread = this.watchdog;
		if (thread == null) {
			thread = new Thread(this::watch, "worker-timeout-watchdog");
			thread.setDaemon(true);
			thread.start();
			this.watchdog = thread;
		}
		return thread;
	}

	/** Stop the attempts whose alarm is due, then sleep until the next one is. */
	private void watch() {
		while (!this.closed) {
			this.nextWake = Long.MAX_VALUE;
			long now = elapsedNanos();
			long earliest = Long.MAX_VALUE;
			for (Alarm alarm : this.alarms) {
				if (alarm.due > now) {
					earliest = Math.min(earliest, alarm.due);
				}
				else if (this.alarms.remove(alarm)) {
					alarm.task.stop(alarm.reason);
				}
			}
			this.nextWake = earliest;
			if (earliest == Long.MAX_VALUE) {
				LockSupport.park(this);
			}
			else {
				LockSupport.parkNanos(this, earliest - elapsedNanos());
			}
		}
	}

	/** An attempt's alarm: stop it for the reason once {@code due} has passed. */
	private static final class Alarm {

		final RunningTask task;

		final StopReason reason;

		/** In nanoseconds from the interceptor's origin. */
		final long due;

		Alarm(RunningTask task, StopReason reason, long due) {
			this.task = task;
			this.reason = reason;
			this.due = due;
		}

	}

}
