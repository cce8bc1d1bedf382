package io.worker.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.spi.Delivery;
import io.worker.spi.QueueRateLimiter;
import io.worker.spi.TaskStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls tasks from a {@link TaskStore} and runs them on a pool of workers: one fetch thread takes a
 * free worker slot, orders the queues (weights, caps, rate limits), dequeues, and hands the task to
 * the pool, which runs it through the {@link TaskExecutor}.
 */
public final class Processor {

	private static final Logger logger = LoggerFactory.getLogger(Processor.class);

	private static final Duration MAX_FETCH_WAIT = Duration.ofSeconds(1);

	/** Shorter wait while a queue is held back, so it is seen as soon as a slot or permit frees. */
	private static final Duration HELD_BACK_FETCH_WAIT = Duration.ofMillis(50);

	private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(5);

	private final TaskStore store;

	private final TaskExecutor executor;

	private final QueueSelector selector;

	private final Map<String, Integer> queueCaps;

	private final QueueRateLimiter rateLimiter;

	private final ActiveTasks activeTasks;

	private final int concurrency;

	private final Semaphore slots;

	private final Map<String, AtomicInteger> runningPerQueue = new ConcurrentHashMap<>();

	private final Object wakeUp = new Object();

	private volatile boolean running;

	private @Nullable Thread fetcher;

	private @Nullable ExecutorService workers;

	/**
	 * @param queueCaps the most tasks of a queue running at once, for capped queues
	 */
	public Processor(TaskStore store, TaskExecutor executor, QueueSelector selector, Map<String, Integer> queueCaps,
			QueueRateLimiter rateLimiter, ActiveTasks activeTasks, int concurrency) {
		this.store = store;
		this.executor = executor;
		this.selector = selector;
		this.queueCaps = Map.copyOf(queueCaps);
		this.rateLimiter = rateLimiter;
		this.activeTasks = activeTasks;
		this.concurrency = concurrency;
		this.slots = new Semaphore(concurrency);
	}

	/** Start fetching and running tasks. */
	public synchronized void start() {
		this.running = true;
		this.workers = Executors.newFixedThreadPool(this.concurrency, named("worker-", false));
		this.fetcher = named("worker-fetcher", true).newThread(this::fetchLoop);
		this.fetcher.start();
	}

	/**
	 * Stop fetching, let running tasks finish within {@code timeout}, then interrupt the rest and
	 * hand them back to the store unprocessed.
	 * @return whether every task finished within the timeout
	 */
	public synchronized boolean stop(Duration timeout) {
		if (!this.running) {
			return true;
		}
		this.running = false;
		Thread fetch = this.fetcher;
		ExecutorService pool = this.workers;
		if (fetch == null || pool == null) {
			return true;
		}
		fetch.interrupt();
		join(fetch);
		pool.shutdown();
		boolean drained = awaitTermination(pool, timeout);
		if (!drained) {
			logger.warn("{} tasks still running after the shutdown timeout of {}; interrupting them and handing "
					+ "them back to their queues", this.activeTasks.size(), timeout);
			this.activeTasks.stopAll(StopReason.SHUTDOWN);
			if (!awaitTermination(pool, timeout)) {
				logger.error("{} tasks ignored interruption; they will be recovered when their leases expire",
						this.activeTasks.size());
			}
		}
		return drained;
	}

	/** How many tasks this processor runs at most at once. */
	public int concurrency() {
		return this.concurrency;
	}

	private void fetchLoop() {
		long errorBackoffMillis = 100;
		while (this.running) {
			boolean slotTaken = false;
			try {
				this.slots.acquire();
				slotTaken = true;
				List<String> queues = this.selector.order(this::eligible);
				boolean heldBack = queues.size() < this.selector.weights().size();
				if (queues.isEmpty()) {
					this.slots.release();
					slotTaken = false;
					waitForChange(HELD_BACK_FETCH_WAIT);
					continue;
				}
				Delivery delivery = this.store.dequeue(queues, heldBack ? HELD_BACK_FETCH_WAIT : MAX_FETCH_WAIT);
				errorBackoffMillis = 100;
				if (delivery == null) {
					this.slots.release();
					slotTaken = false;
					continue;
				}
				slotTaken = false;
				dispatch(delivery);
			}
			catch (InterruptedException ex) {
				if (slotTaken) {
					this.slots.release();
				}
				if (!this.running) {
					return;
				}
				Thread.interrupted();
			}
			catch (RuntimeException ex) {
				if (slotTaken) {
					this.slots.release();
				}
				logger.warn("Fetching tasks from the {} backend failed; retrying in {} ms: {}", this.store.name(),
						errorBackoffMillis, ex.toString());
				waitForChange(Duration.ofMillis(errorBackoffMillis));
				errorBackoffMillis = Math.min(errorBackoffMillis * 2, MAX_ERROR_BACKOFF.toMillis());
			}
		}
	}

	private void dispatch(Delivery delivery) {
		String queue = delivery.message().queue();
		this.rateLimiter.recordStart(queue);
		AtomicInteger queueRunning = this.runningPerQueue.computeIfAbsent(queue, (key) -> new AtomicInteger());
		queueRunning.incrementAndGet();
		ExecutorService pool = this.workers;
		if (!this.running || pool == null) {
			release(queueRunning);
			delivery.requeue();
			return;
		}
		pool.execute(() -> {
			try {
				this.executor.execute(delivery);
			}
			finally {
				release(queueRunning);
			}
		});
	}

	private void release(AtomicInteger queueRunning) {
		queueRunning.decrementAndGet();
		this.slots.release();
		synchronized (this.wakeUp) {
			this.wakeUp.notifyAll();
		}
	}

	private boolean eligible(String queue) {
		Integer cap = this.queueCaps.get(queue);
		if (cap != null) {
			AtomicInteger queueRunning = this.runningPerQueue.get(queue);
			if (queueRunning != null && queueRunning.get() >= cap) {
				return false;
			}
		}
		return this.rateLimiter.hasPermit(queue);
	}

	/** Wait until a worker slot frees or the time passes; returns early when stopped. */
	private void waitForChange(Duration max) {
		synchronized (this.wakeUp) {
			try {
				if (this.running) {
					this.wakeUp.wait(Math.max(1, max.toMillis()));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Thread.interrupted();
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean awaitTermination(ExecutorService pool, Duration timeout) {
		try {
			return pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static ThreadFactory named(String prefix, boolean single) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, single ? prefix : prefix + counter.incrementAndGet());
			thread.setDaemon(false);
			return thread;
		};
	}

}
