package io.worker.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.worker.spi.BrokerContext;
import io.worker.spi.Delivery;
import io.worker.spi.DeliverySink;
import io.worker.spi.TaskBroker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the worker pool from a {@link TaskBroker}: the broker's listener threads offer deliveries,
 * which wait in a buffer per queue; one dispatch thread takes a free slot, picks the queue by
 * weight (or priority), cap and rate limit among those with a buffered delivery, and hands its
 * oldest delivery to the pool. A worker that finishes a task takes the next one the same way on
 * its own thread, while deliveries are buffered and no queue has a cap or a rate limit, so a busy
 * queue's tasks do not pass through the dispatch thread (two thread hand-offs per task). The stage
 * returned to the broker completes once the delivery was settled, or fails when it was not, so the
 * broker acknowledges only settled tasks.
 */
final class BrokerDispatcher implements DeliverySink {

	private static final Logger logger = LoggerFactory.getLogger(BrokerDispatcher.class);

	/** How long the dispatcher waits before looking again while queues are held back by a rate limit. */
	private static final Duration HELD_BACK_WAIT = Duration.ofMillis(50);

	private final String backend;

	private final WorkerPool pool;

	/**
	 * How many picks a queue may make up for after its buffer ran dry: about the buffer a broker
	 * keeps per queue, so that a refill's latency costs a queue nothing.
	 */
	private static final int CATCH_UP_PICKS = BrokerContext.MIN_BUFFER;

	private final Map<String, Queue<Offer>> buffers = new ConcurrentHashMap<>();

	/** Each queue's pass in the stride schedule; read and written under {@link #picking}. */
	private final Map<String, Double> passes = new HashMap<>();

	/** The pass of the last pick: where a queue that was idle joins; written under {@link #picking}. */
	private double virtualTime;

	/** Held while picking: the dispatch thread and the workers taking their next task pick in turn. */
	private final Object picking = new Object();

	private final TaskEventListener listener;

	private volatile boolean running;

	private @Nullable Thread dispatcher;

	BrokerDispatcher(String backend, WorkerPool pool, TaskEventListener listener) {
		this.backend = backend;
		this.pool = pool;
		this.listener = listener;
	}

	synchronized void start() {
		this.running = true;
		this.dispatcher = WorkerPool.named("worker-dispatcher", true).newThread(this::dispatchLoop);
		this.dispatcher.start();
	}

	@Override
	public CompletionStage<Void> offer(Delivery delivery) {
		Offer offer = new Offer(delivery, new CompletableFuture<>());
		if (!this.running) {
			handBack(offer);
			return offer.settled;
		}
		this.buffers.computeIfAbsent(delivery.message().queue(), (queue) -> new ConcurrentLinkedQueue<>()).add(offer);
		this.pool.signal();
		if (!this.running) {
			// stop() may have emptied the buffers before this offer reached them
			handBackBuffered();
		}
		return offer.settled;
	}

	@Override
	public void dropped(String queue, String reason) {
		this.listener.dropped(queue, reason);
	}

	/** Stop dispatching, and hand every buffered delivery back to the broker unprocessed. */
	synchronized void stop() {
		this.running = false;
		Thread thread = this.dispatcher;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		handBackBuffered();
	}

	private void dispatchLoop() {
		while (this.running) {
			boolean holding = false;
			try {
				this.pool.acquireSlot();
				holding = true;
				// read before looking, so that an offer arriving after the look wakes the wait below
				long seen = this.pool.changes();
				Offer offer = next();
				while (offer == null && this.running) {
					this.pool.awaitChange(HELD_BACK_WAIT, seen);
					Thread.interrupted();
					seen = this.pool.changes();
					offer = next();
				}
				if (offer == null) {
					break;
				}
				dispatch(offer);
				// from here the pool frees the slot when the delivery ends
				holding = false;
			}
			catch (InterruptedException ex) {
				Thread.interrupted();
			}
			catch (RuntimeException ex) {
				// a rate limiter or a queue order that failed must not end dispatching for good
				logger.warn("Dispatching a delivery of the {} backend failed; trying again: {}", this.backend,
						ex.toString());
				this.pool.awaitChange(HELD_BACK_WAIT);
				Thread.interrupted();
			}
			finally {
				if (holding) {
					this.pool.releaseSlots(1);
				}
			}
		}
	}

	/**
	 * The oldest buffered delivery of the queue to serve next, or {@code null} when none may run now.
	 * With strict priority that is the first eligible queue; with weights, the eligible queue that
	 * is furthest behind its share (stride scheduling): each pick advances the queue's pass by one
	 * over its weight, and the smallest pass goes next, so that shares hold exactly while queues are
	 * busy. A queue that fell behind (its buffer ran dry while the broker refilled it, or it was
	 * idle) keeps at most {@value #CATCH_UP_PICKS} picks of credit, so a refill's latency costs it
	 * nothing and a long idleness buys it no more than a short burst; a queue seen for the first time
	 * starts at the current pass.
	 */
	private @Nullable Offer next() {
		synchronized (this.picking) {
			return pick();
		}
	}

	private @Nullable Offer pick() {
		List<String> queues = new ArrayList<>(this.pool.eligibleQueues(this::hasBuffered));
		// a delivery from a queue the server was not told about still runs (and is archived if unknown)
		this.buffers.forEach((queue, buffer) -> {
			if (!buffer.isEmpty() && !queues.contains(queue) && !this.pool.isConfigured(queue)) {
				queues.add(queue);
			}
		});
		if (queues.isEmpty()) {
			return null;
		}
		String queue = this.pool.isStrict() ? queues.get(0) : furthestBehind(queues);
		double stride = 1.0 / this.pool.weight(queue);
		this.virtualTime = pass(queue, stride);
		this.passes.put(queue, this.virtualTime + stride);
		return this.buffers.get(queue).poll();
	}

	private String furthestBehind(List<String> queues) {
		String next = queues.get(0);
		double lowest = Double.MAX_VALUE;
		for (String queue : queues) {
			double pass = pass(queue, 1.0 / this.pool.weight(queue));
			if (pass < lowest) {
				lowest = pass;
				next = queue;
			}
		}
		return next;
	}

	private double pass(String queue, double stride) {
		Double pass = this.passes.get(queue);
		if (pass == null) {
			return this.virtualTime;
		}
		return Math.max(pass, this.virtualTime - CATCH_UP_PICKS * stride);
	}

	private boolean everyQueueBuffered() {
		for (Queue<Offer> buffer : this.buffers.values()) {
			if (buffer.isEmpty()) {
				return false;
			}
		}
		return true;
	}

	private boolean hasBuffered(String queue) {
		Queue<Offer> buffer = this.buffers.get(queue);
		return buffer != null && !buffer.isEmpty();
	}

	private void dispatch(Offer offer) {
		CompletableFuture<TaskOutcome> outcome;
		try {
			outcome = this.pool.run(offer.delivery, this.pool.isUnlimited() ? this::nextOnWorker : null);
		}
		catch (RuntimeException ex) {
			offer.settled.completeExceptionally(ex);
			throw ex;
		}
		settleWhenDone(offer, outcome);
	}

	/**
	 * A worker's next delivery, taken on its own thread as it finishes one, or {@code null} when none is
	 * buffered or a queue that had deliveries has none buffered now. A queue's next offer may still be on
	 * its way (a broker refills after the acknowledgement), and a worker that picks at once would give its
	 * turn to the other queues, against their weights; the dispatch thread picks then.
	 */
	private WorkerPool.@Nullable Next nextOnWorker() {
		Offer offer;
		try {
			offer = (this.running && everyQueueBuffered()) ? next() : null;
		}
		catch (RuntimeException ex) {
			// the dispatch loop picks again, and reports it if it fails there too
			offer = null;
		}
		if (offer == null) {
			return null;
		}
		CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
		settleWhenDone(offer, outcome);
		return new WorkerPool.Next(offer.delivery, outcome);
	}

	private void settleWhenDone(Offer offer, CompletableFuture<TaskOutcome> outcome) {
		outcome.whenComplete((result, failure) -> {
			if (failure != null) {
				offer.settled.completeExceptionally(failure);
			}
			else if (result == TaskOutcome.ABANDONED) {
				offer.settled.completeExceptionally(new IllegalStateException("Task " + offer.delivery.message().id()
						+ " was not settled on the " + this.backend + " backend: deliver it again"));
			}
			else {
				offer.settled.complete(null);
			}
		});
	}

	private void handBackBuffered() {
		for (Queue<Offer> buffer : this.buffers.values()) {
			Offer offer;
			while ((offer = buffer.poll()) != null) {
				handBack(offer);
			}
		}
	}

	private void handBack(Offer offer) {
		if (WorkerPool.handBack(offer.delivery) == TaskOutcome.REQUEUED) {
			offer.settled.complete(null);
		}
		else {
			logger.debug("Task {} could not be handed back to the {} backend", offer.delivery.message().id(),
					this.backend);
			offer.settled.completeExceptionally(new IllegalStateException("Task " + offer.delivery.message().id()
					+ " could not be handed back to the " + this.backend + " backend"));
		}
	}

	private record Offer(Delivery delivery, CompletableFuture<Void> settled) {
	}

}
