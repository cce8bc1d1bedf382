package io.worker.runtime;

import java.time.Duration;
import java.util.List;

import io.worker.spi.Delivery;
import io.worker.spi.TaskStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the worker pool from a {@link TaskStore}: one fetch thread takes every free slot, orders
 * the eligible queues, dequeues a task for each slot in one call, and hands them to the pool. While
 * tasks are queued a worker goes on in its slot: it takes its next task itself, with its completion
 * on a store over a network, so the fetch thread is needed only when a slot frees.
 */
final class StoreFetcher {

	private static final Logger logger = LoggerFactory.getLogger(StoreFetcher.class);

	private static final Duration MAX_FETCH_WAIT = Duration.ofSeconds(1);

	/** Shorter wait while a queue is held back, so it is seen as soon as a slot or permit frees. */
	private static final Duration HELD_BACK_FETCH_WAIT = Duration.ofMillis(50);

	private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(5);

	private final TaskStore store;

	private final WorkerPool pool;

	private volatile boolean running;

	private @Nullable Thread fetcher;

	StoreFetcher(TaskStore store, WorkerPool pool) {
		this.store = store;
		this.pool = pool;
	}

	synchronized void start() {
		this.running = true;
		this.fetcher = WorkerPool.named("worker-fetcher", true).newThread(this::fetchLoop);
		this.fetcher.start();
	}

	/** Stop fetching; returns once the fetch thread has ended. */
	synchronized void stop() {
		this.running = false;
		Thread fetch = this.fetcher;
		if (fetch != null) {
			fetch.interrupt();
			try {
				fetch.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * A worker's next task, taken on its own thread as it finishes one, without waiting: while tasks
	 * are queued no slot goes back through this fetch thread (two thread hand-offs per task). Only
	 * when no queue has a cap or a rate limit and every queue may start a task: a queue's permits are
	 * checked and taken in two steps, so workers taking tasks side by side could pass a rate limit
	 * that the one fetch loop keeps.
	 */
	private WorkerPool.@Nullable Next nextOnWorker() {
		Delivery next = next();
		return (next != null) ? WorkerPool.Next.of(next) : null;
	}

	private @Nullable Delivery next() {
		List<String> queues = queuesForWorker();
		if (queues == null) {
			return null;
		}
		try {
			return this.store.dequeue(queues, Duration.ZERO);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (RuntimeException ex) {
			// the fetch loop reports it and backs off
			return null;
		}
	}

	/**
	 * The queues a worker finishing a task may take its next one from itself, in the order of this
	 * pick, or {@code null} when the fetch loop is to do it (the same conditions as
	 * {@link #nextOnWorker()}).
	 */
	private @Nullable List<String> queuesForWorker() {
		List<String> queues = this.pool.eligibleQueues((queue) -> true);
		boolean mayTake = this.running && this.pool.isRunning() && !Thread.currentThread().isInterrupted()
				&& this.pool.isUnlimited() && this.pool.allEligible(queues);
		return mayTake ? queues : null;
	}

	private void fetchLoop() {
		long errorBackoffMillis = 100;
		while (this.running) {
			int held = 0;
			try {
				held = this.pool.acquireFreeSlots();
				// read before looking, so a slot freed or a resume signalled in between ends the wait
				long seen = this.pool.changes();
				List<String> queues = this.pool.eligibleQueues((queue) -> true);
				if (queues.isEmpty()) {
					this.pool.releaseSlots(held);
					held = 0;
					this.pool.awaitChange(HELD_BACK_FETCH_WAIT, seen);
					continue;
				}
				int batch = Math.min(held, this.pool.batchLimit(queues));
				this.pool.releaseSlots(held - batch);
				held = batch;
				List<Delivery> deliveries = this.store.dequeue(queues, batch,
						this.pool.allEligible(queues) ? MAX_FETCH_WAIT : HELD_BACK_FETCH_WAIT);
				errorBackoffMillis = 100;
				this.pool.releaseSlots(batch - deliveries.size());
				held = 0;
				boolean inProcess = this.store.dequeuesInProcess();
				for (Delivery delivery : deliveries) {
					// a store over a network takes a worker's next task with its completion, in one round trip
					this.pool.run(delivery, inProcess ? this::nextOnWorker : null, inProcess ? null : this::queuesForWorker);
				}
			}
			catch (InterruptedException ex) {
				this.pool.releaseSlots(held);
				if (!this.running) {
					return;
				}
				Thread.interrupted();
			}
			catch (RuntimeException ex) {
				this.pool.releaseSlots(held);
				if (!this.running) {
					// stopping interrupted the fetch inside the client library
					return;
				}
				logger.warn("Fetching tasks from the {} backend failed; retrying in {} ms: {}", this.store.name(),
						errorBackoffMillis, ex.toString());
				this.pool.awaitChange(Duration.ofMillis(errorBackoffMillis));
				Thread.interrupted();
				errorBackoffMillis = Math.min(errorBackoffMillis * 2, MAX_ERROR_BACKOFF.toMillis());
			}
		}
	}

}
