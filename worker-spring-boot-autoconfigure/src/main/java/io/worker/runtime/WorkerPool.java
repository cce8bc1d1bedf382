package io.worker.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.worker.spi.Delivery;
import io.worker.spi.QueueRateLimiter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool every backend's tasks run on: its slots, the per-queue caps and rate limits that
 * decide which queues may start a task now, the queue order (weights or strict priority), and the
 * drain, interrupt and hand-back at shutdown. A feeder ({@link StoreFetcher} for a store,
 * {@link BrokerDispatcher} for a broker) takes a slot, picks a queue and hands the pool a delivery.
 */
final class WorkerPool {

	private static final Logger logger = LoggerFactory.getLogger(WorkerPool.class);

	private final TaskExecutor executor;

	private final QueueSelector selector;

	private final Map<String, Integer> queueCaps;

	private final QueueRateLimiter rateLimiter;

	private final Set<String> rateLimitedQueues;

	private final ActiveTasks activeTasks;

	private final int concurrency;

	private final ThreadFactory threads;

	private final Semaphore slots;

	private final Map<String, AtomicInteger> runningPerQueue = new ConcurrentHashMap<>();

	private final Object change = new Object();

	/** How many changes were signalled so far; written under {@link #change}. */
	private volatile long changes;

	private volatile boolean running;

	private @Nullable ExecutorService workers;

	/**
	 * @param queueCaps the most tasks of a queue running at once, for capped queues
	 * @param rateLimitedQueues the queues {@code rateLimiter} limits
	 * @param threads makes the pool's threads (platform or virtual), which handlers run on
	 */
	WorkerPool(TaskExecutor executor, QueueSelector selector, Map<String, Integer> queueCaps,
			QueueRateLimiter rateLimiter, Set<String> rateLimitedQueues, ActiveTasks activeTasks, int concurrency,
			ThreadFactory threads) {
		this.executor = executor;
		this.selector = selector;
		this.queueCaps = Map.copyOf(queueCaps);
		this.rateLimiter = rateLimiter;
		this.rateLimitedQueues = Set.copyOf(rateLimitedQueues);
		this.activeTasks = activeTasks;
		this.concurrency = concurrency;
		this.threads = threads;
		this.slots = new Semaphore(concurrency);
	}

	synchronized void start() {
		this.running = true;
		this.workers = Executors.newFixedThreadPool(this.concurrency, this.threads);
	}

	boolean isRunning() {
		return this.running;
	}

	/** Wait for a free slot and take it. */
	void acquireSlot() throws InterruptedException {
		this.slots.acquire();
	}

	/** Wait for a free slot, then take every free slot: one fetch fills them all. */
	int acquireFreeSlots() throws InterruptedException {
		this.slots.acquire();
		return 1 + this.slots.drainPermits();
	}

	void releaseSlots(int count) {
		if (count > 0) {
			this.slots.release(count);
		}
	}

	/**
	 * The queues that may start a task now (below their cap, with a rate-limit permit), in the
	 * selector's order for this pick.
	 * @param alsoRequired a further condition, such as "has a buffered delivery"
	 */
	List<String> eligibleQueues(Predicate<String> alsoRequired) {
		return this.selector.order((queue) -> eligible(queue) && alsoRequired.test(queue));
	}

	/** Whether queues are taken in strict priority order. */
	boolean isStrict() {
		return this.selector.isStrict();
	}

	/** The queue's weight, or 1 for a queue the server was not told about. */
	int weight(String queue) {
		return this.selector.weights().getOrDefault(queue, 1);
	}

	/** Whether the queue is one of the server's configured queues. */
	boolean isConfigured(String queue) {
		return this.selector.weights().containsKey(queue);
	}

	/** Whether every configured queue is eligible (none held back by a cap or a rate limit). */
	boolean allEligible(List<String> eligible) {
		return eligible.size() == this.selector.weights().size();
	}

	/**
	 * How many tasks one fetch over these queues may take: a rate-limited queue takes one permit at a
	 * time, and a capped queue no more than its free places.
	 */
	int batchLimit(List<String> queues) {
		int limit = Integer.MAX_VALUE;
		for (String queue : queues) {
			if (this.rateLimitedQueues.contains(queue)) {
				return 1;
			}
			Integer cap = this.queueCaps.get(queue);
			if (cap != null) {
				limit = Math.min(limit, cap - running(queue));
			}
		}
		return Math.max(1, limit);
	}

	/**
	 * Run a delivery on the pool, in a slot the caller took; the slot is freed when it ends. A
	 * delivery handed over while the pool is stopping goes back to its backend unprocessed.
	 * @return the outcome, once the delivery was settled (or not)
	 */
	CompletableFuture<TaskOutcome> run(Delivery delivery) {
		return run(delivery, null);
	}

	/**
	 * {@link #run(Delivery)}, then, on the same thread and in the same slot, each delivery
	 * {@code next} gives until it gives none; only then is the slot freed.
	 * @param next takes the next delivery without waiting, or returns {@code null}; {@code null} to
	 *     free the slot after the first delivery
	 * @return the outcome of the first delivery
	 */
	CompletableFuture<TaskOutcome> run(Delivery delivery, @Nullable Supplier<@Nullable Next> next) {
		return run(delivery, next, null);
	}

	/**
	 * {@link #run(Delivery, Supplier)}, where a delivery that completes may also take the worker's
	 * next task in the same round trip ({@link Delivery#completeAndTakeNext}); the worker runs it
	 * next, in the same slot.
	 * @param takeWithCompletion the queues to take that task from, in the order of the pick, asked
	 *     as the delivery completes; it answers {@code null} when the worker may not take one itself.
	 *     {@code null} to complete deliveries plainly
	 */
	CompletableFuture<TaskOutcome> run(Delivery delivery, @Nullable Supplier<@Nullable Next> next,
			@Nullable Supplier<@Nullable List<String>> takeWithCompletion) {
		AtomicInteger queueRunning = start(delivery);
		CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
		ExecutorService pool = this.workers;
		if (!this.running || pool == null) {
			release(queueRunning);
			outcome.complete(handBack(delivery));
			return outcome;
		}
		try {
			pool.execute(() -> runInSlot(delivery, queueRunning, outcome, next, takeWithCompletion));
		}
		catch (RejectedExecutionException ex) {
			// the pool shut down since the check above
			release(queueRunning);
			outcome.complete(handBack(delivery));
		}
		return outcome;
	}

	/** Whether no queue has a cap or a rate limit: then a worker may take its next task itself. */
	boolean isUnlimited() {
		return this.queueCaps.isEmpty() && this.rateLimitedQueues.isEmpty();
	}

	private AtomicInteger start(Delivery delivery) {
		String queue = delivery.message().queue();
		this.rateLimiter.recordStart(queue);
		AtomicInteger queueRunning = this.runningPerQueue.computeIfAbsent(queue, (key) -> new AtomicInteger());
		queueRunning.incrementAndGet();
		return queueRunning;
	}

	private void runInSlot(Delivery first, AtomicInteger firstQueueRunning, CompletableFuture<TaskOutcome> outcome,
			@Nullable Supplier<@Nullable Next> next, @Nullable Supplier<@Nullable List<String>> takeWithCompletion) {
		Delivery delivery = first;
		AtomicInteger queueRunning = firstQueueRunning;
		CompletableFuture<TaskOutcome> settled = outcome;
		while (true) {
			TakeNextDelivery taking = (takeWithCompletion != null) ? new TakeNextDelivery(delivery, takeWithCompletion)
					: null;
			boolean failed = false;
			try {
				settled.complete(this.executor.execute((taking != null) ? taking : delivery));
			}
			catch (Throwable ex) {
				failed = true;
				settled.completeExceptionally(ex);
			}
			queueRunning.decrementAndGet();
			// an interrupted thread (a stop, a shutdown) takes no further task
			boolean goOn = !failed && this.running && !Thread.currentThread().isInterrupted();
			Delivery taken = (taking != null) ? taking.taken() : null;
			Next following = null;
			if (taken != null) {
				if (goOn) {
					following = Next.of(taken);
				}
				else {
					handBack(taken);
				}
			}
			else if (next != null && goOn) {
				following = next.get();
			}
			if (following == null) {
				this.slots.release();
				signal();
				return;
			}
			queueRunning = start(following.delivery());
			settled = following.outcome();
			if (!this.running) {
				release(queueRunning);
				settled.complete(handBack(following.delivery()));
				return;
			}
			delivery = following.delivery();
		}
	}

	/** Wait until a slot frees, a feeder signals, or the time passes; returns early when stopped. */
	void awaitChange(Duration max) {
		awaitChange(max, changes());
	}

	/**
	 * How many changes were signalled so far: read it before looking for work, and pass it to
	 * {@link #awaitChange(Duration, long)}, so that a change signalled in between is not missed.
	 */
	long changes() {
		return this.changes;
	}

	/**
	 * Wait until a change after the {@code seen} one is signalled (at once when one already was), or
	 * the time passes; returns early when stopped.
	 */
	void awaitChange(Duration max, long seen) {
		synchronized (this.change) {
			try {
				if (this.running && this.changes == seen) {
					this.change.wait(Math.max(1, max.toMillis()));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Wake up a feeder waiting in {@link #awaitChange}. */
	void signal() {
		synchronized (this.change) {
			this.changes++;
			this.change.notifyAll();
		}
	}

	/**
	 * Stop taking tasks, let running ones finish within {@code timeout}, then interrupt the rest so
	 * they are handed back to their backend unprocessed.
	 * @return whether every task finished within the timeout
	 */
	synchronized boolean stop(Duration timeout) {
		if (!this.running) {
			return true;
		}
		this.running = false;
		signal();
		ExecutorService pool = this.workers;
		if (pool == null) {
			return true;
		}
		pool.shutdown();
		boolean drained = awaitTermination(pool, timeout);
		if (!drained) {
			logger.warn("{} tasks still running after the shutdown timeout of {}; interrupting them and handing "
					+ "them back to their queues", this.activeTasks.size(), timeout);
			this.activeTasks.stopAll(StopReason.SHUTDOWN);
			if (!awaitTermination(pool, timeout)) {
				logger.error("{} tasks ignored interruption; their backend will deliver them again once their "
						+ "leases expire or their connection closes", this.activeTasks.size());
			}
		}
		return drained;
	}

	private int running(String queue) {
		AtomicInteger queueRunning = this.runningPerQueue.get(queue);
		return (queueRunning != null) ? queueRunning.get() : 0;
	}

	private boolean eligible(String queue) {
		Integer cap = this.queueCaps.get(queue);
		if (cap != null && running(queue) >= cap) {
			return false;
		}
		return this.rateLimiter.hasPermit(queue);
	}

	private void release(AtomicInteger queueRunning) {
		queueRunning.decrementAndGet();
		this.slots.release();
		signal();
	}

	/**
	 * A delivery a worker takes on as it finishes one, and the outcome to complete when it ends.
	 * @param delivery the delivery
	 * @param outcome completed with how the delivery ended
	 */
	record Next(Delivery delivery, CompletableFuture<TaskOutcome> outcome) {

		/** A next delivery whose outcome nobody waits for (a store settles its tasks itself). */
		static Next of(Delivery delivery) {
			return new Next(delivery, new CompletableFuture<>());
		}

	}

	/** Hand a delivery back to its backend unprocessed, as at shutdown. */
	static TaskOutcome handBack(Delivery delivery) {
		try {
			delivery.requeue();
			return TaskOutcome.REQUEUED;
		}
		catch (RuntimeException ex) {
			logger.warn("Could not hand task {} back to its queue: {}", delivery.message().id(), ex.toString());
			return TaskOutcome.ABANDONED;
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
