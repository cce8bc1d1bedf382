package io.worker.runtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.TaskContext;
import io.worker.TaskHandler;

/**
 * Handlers that record what ran, on which thread and at which attempt, and a task that holds its
 * worker until released or interrupted, for the worker server's tests.
 */
class RecordingHandlers {

	final List<String> order = new CopyOnWriteArrayList<>();

	final List<String> threads = new CopyOnWriteArrayList<>();

	final List<Integer> attempts = new CopyOnWriteArrayList<>();

	final Set<String> heldIds = ConcurrentHashMap.newKeySet();

	final CountDownLatch release = new CountDownLatch(1);

	final AtomicInteger running = new AtomicInteger();

	final AtomicInteger maxRunning = new AtomicInteger();

	final AtomicInteger finished = new AtomicInteger();

	final AtomicInteger interrupted = new AtomicInteger();

	@TaskHandler("record")
	void record(String queue, TaskContext context) {
		this.threads.add(Thread.currentThread().getName());
		this.attempts.add(context.attempt());
		this.order.add(queue);
	}

	@TaskHandler("hold")
	void hold(String ignored, TaskContext context) throws InterruptedException {
		this.attempts.add(context.attempt());
		hold();
	}

	/** Holds its first attempt until interrupted; later attempts return at once. */
	@TaskHandler("hold-once")
	void holdOnce(String ignored, TaskContext context) throws InterruptedException {
		this.attempts.add(context.attempt());
		if (context.attempt() == 1) {
			this.heldIds.add(context.taskId());
			hold();
		}
	}

	private void hold() throws InterruptedException {
		this.maxRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
		try {
			this.release.await();
			this.finished.incrementAndGet();
		}
		catch (InterruptedException ex) {
			this.interrupted.incrementAndGet();
			throw ex;
		}
		finally {
			this.running.decrementAndGet();
		}
	}

}
