package io.worker.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Pulls tasks from a {@link TaskStore} and runs them on a pool of workers: one fetch thread takes
 * the free worker slots, orders the queues (weights, caps, rate limits), dequeues a task for each
 * slot in one call, and hands them to the pool, which runs each through the {@link TaskExecutor}.
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

	private final Set<String> rateLimitedQueues;

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
	 * @param rateLimitedQueues the queues {@code rateLimiter} limits
	 */
	public Processor(TaskStore store, TaskExecutor executor, QueueSelector selector, Map<String, Integer> queueCaps,
			QueueRateLimiter rateLimiter, Set<String> rateLimitedQueues, ActiveTasks activeTasks, int concurrency) {
		this.store = store;
		this.executor = executor;
		this.selector = selector;
		this.queueCaps = Map.copyOf(queueCaps);
		this.rateLimiter = rateLimiter;
		this.rateLimitedQueues = Set.copyOf(rateLimitedQueues);
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
			int held = 0;
			try {
				this.slots.acquire();
				// every free slot is filled by one fetch: a round trip per batch, not per task
				held = 1 + this.slots.drainPermits();
				List<String> queues = this.selector.order(this::eligible);
				if (queues.isEmpty()) {
					this.slots.release(held);
					held = 0;
					waitForChange(HELD_BACK_FETCH_WAIT);
					continue;
				}
				int batch = Math.min(held, batchLimit(queues));
				this.slots.release(held - batch);
				held = batch;
				boolean heldBack = queues.size() < this.selector.weights().size();
				List<Delivery> deliveries = this.store.dequeue(queues, batch,
						heldBack ? HELD_BACK_FETCH_WAIT : MAX_FETCH_WAIT);
				errorBackoffMillis = 100;
				this.slots.release(batch - deliveries.size());
				held = 0;
				deliveries.forEach(this::dispatch);
			}
			catch (InterruptedException ex) {
				this.slots.release(held);
				if (!this.running) {
					return;
				}
				Thread.interrupted();
			}
			catch (RuntimeException ex) {
				this.slots.release(held);
				if (!this.running) {
					// stopping interrupted the fetch inside the client library
					return;
				}
				logger.warn("Fetching tasks from the {} backend failed; retrying in {} ms: {}", this.store.name(),
						errorBackoffMillis, ex.toString());
				waitForChange(Duration.ofMillis(errorBackoffMillis));
				errorBackoffMillis = Math.min(errorBackoffMillis * 2, MAX_ERROR_BACKOFF.toMillis());
			}
		}
	}

	/**
	 * How many tasks one fetch may take: a rate-limited queue takes one permit at a time, and a
	 * capped queue no more than its free places.
	 */
	private int batchLimit(List<String> queues) {
		int limit = Integer.MAX_VALUE;
		for (String queue : queues) {
			if (this.rateLimitedQueues.contains(queue)) {
				return 1;
			}
			Integer cap = this.queueCaps.get(queue);
			if (cap != null) {
				AtomicInteger queueRunning = this.runningPerQueue.get(queue);
				limit = Math.min(limit, cap - ((queueRunning != null) ? queueRunning.get() : 0));
			}
		}
		return Math.max(1, limit);
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
