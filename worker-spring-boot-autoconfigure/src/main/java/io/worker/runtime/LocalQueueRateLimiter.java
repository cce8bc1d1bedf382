package io.worker.runtime;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.spi.QueueRateLimiter;
import io.worker.spi.RateLimit;

/**
 * Counts task starts per queue in fixed windows, in this process only.
 */
public final class LocalQueueRateLimiter implements QueueRateLimiter {

	private final Map<String, RateLimit> limits;

	private final Clock clock;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	public LocalQueueRateLimiter(Map<String, RateLimit> limits, Clock clock) {
		this.limits = Map.copyOf(limits);
		this.clock = clock;
	}

	@Override
	public boolean hasPermit(String queue) {
		RateLimit limit = this.limits.get(queue);
		return limit == null || window(queue, limit).count.get() < limit.permits();
	}

	@Override
	public void recordStart(String queue) {
		RateLimit limit = this.limits.get(queue);
		if (limit != null) {
			window(queue, limit).count.incrementAndGet();
		}
	}

	private Window window(String queue, RateLimit limit) {
		long period = Math.max(1, limit.period().toMillis());
		long start = this.clock.millis() / period * period;
		return this.windows.compute(queue, (key, window) -> (window != null && window.start == start) ? window
				: new Window(start));
	}

	private static final class Window {

		private final long start;

		private final AtomicInteger count = new AtomicInteger();

		Window(long start) {
			this.start = start;
		}

	}

}
