package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.worker.TaskContext;
import io.worker.TaskInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;

/**
 * Interrupts a handler that runs past its timeout or its task's deadline. The attempt then fails
 * (a timeout is retried, a deadline is not); the runtime settles it only after the handler has
 * returned, so a retry never overlaps the attempt it replaces.
 */
public final class TimeoutInterceptor implements TaskInterceptor, Ordered, AutoCloseable {

	/** Runs inside MDC logging, around every interceptor a user adds. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private final ScheduledThreadPoolExecutor watchdog;

	private final Clock clock;

	public TimeoutInterceptor(Clock clock) {
		this.watchdog = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "worker-timeout-watchdog");
			thread.setDaemon(true);
			return thread;
		});
		// most alarms are cancelled long before they are due: drop them at once
		this.watchdog.setRemoveOnCancelPolicy(true);
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
		ScheduledFuture<?> alarm = this.watchdog.schedule(() -> task.stop(reason),
				Math.max(0, Math.min(timeoutNanos, deadlineNanos)), TimeUnit.NANOSECONDS);
		try {
			return chain.proceed();
		}
		finally {
			alarm.cancel(false);
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** Stop the watchdog thread. */
	@Override
	public void close() {
		this.watchdog.shutdownNow();
	}

}
