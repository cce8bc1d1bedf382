package io.worker.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the handler runs of one measurement, by task id: how many distinct ids ran, how many ran
 * more than once, the first and last completion, and each task's enqueue-to-handler-start latency.
 * Every subject's handler calls {@link #record} and nothing else.
 */
public final class CompletionTracker {

	private final int expected;

	private final AtomicIntegerArray runs;

	/** Written once per id before {@link #distinct} counts it, read after {@link #await}. */
	private final long[] latencies;

	private final AtomicInteger distinct = new AtomicInteger();

	private final AtomicInteger duplicates = new AtomicInteger();

	private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);

	private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

	private final CountDownLatch done = new CountDownLatch(1);

	private final int handlerMillis;

	public CompletionTracker(int expected) {
		this(expected, 0);
	}

	/**
	 * @param handlerMillis how long each handler works (sleeps) in {@link #handle} before its run
	 *     is recorded
	 */
	public CompletionTracker(int expected, int handlerMillis) {
		this.handlerMillis = handlerMillis;
		this.expected = expected;
		this.runs = new AtomicIntegerArray(expected);
		this.latencies = new long[expected];
	}

	/** A handler's body: work as long as the workload says (I/O standing in), then record the run. */
	public void handle(int id, long enqueuedNanos) throws InterruptedException {
		if (this.handlerMillis > 0) {
			Thread.sleep(this.handlerMillis);
		}
		record(id, enqueuedNanos);
	}

	/** Record one handler run of task {@code id}, enqueued at {@code enqueuedNanos}. */
	public void record(int id, long enqueuedNanos) {
		long now = System.nanoTime();
		if (id < 0 || id >= this.expected) {
			throw new IllegalArgumentException("Task id " + id + " is outside 0.." + (this.expected - 1));
		}
		if (this.runs.incrementAndGet(id) > 1) {
			this.duplicates.incrementAndGet();
			return;
		}
		this.latencies[id] = now - enqueuedNanos;
		this.first.accumulateAndGet(now, Math::min);
		this.last.accumulateAndGet(now, Math::max);
		if (this.distinct.incrementAndGet() == this.expected) {
			this.done.countDown();
		}
	}

	/** Wait until every expected id has run once; fails with the counts when time runs out. */
	public void await(Duration timeout) throws InterruptedException {
		if (!this.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("Only " + distinct() + " of " + this.expected + " tasks ran within "
					+ timeout + " (" + duplicates() + " duplicate runs)");
		}
	}

	public int expected() {
		return this.expected;
	}

	/** How many distinct ids ran. */
	public int distinct() {
		return this.distinct.get();
	}

	/** How many runs were of an id that had already run. */
	public int duplicates() {
		return this.duplicates.get();
	}

	/** How many times task {@code id} ran. */
	public int runs(int id) {
		return this.runs.get(id);
	}

	/** Tasks per second from the first completion to the last. */
	public double throughput() {
		long elapsed = this.last.get() - this.first.get();
		return (elapsed > 0) ? (this.expected - 1) * 1e9 / elapsed : Double.NaN;
	}

	/** Each task's enqueue-to-handler-start latency in nanoseconds; valid after {@link #await}. */
	long[] latencies() {
		return this.latencies.clone();
	}

}
