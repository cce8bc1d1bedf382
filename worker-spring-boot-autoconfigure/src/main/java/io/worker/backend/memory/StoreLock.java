package io.worker.backend.memory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory store's one lock, and the actions queued for it. A thread that finds the lock held
 * can queue an action instead of waiting for it ({@link #runUnderLock}): the holder runs it before
 * it releases the lock, and every thread that takes the lock runs the queued actions first, so a
 * thread that takes the lock after such a call returned sees its effect. A worker that completes a
 * task under load then waits for the lock once per task (for its next task), not twice.
 */
final class StoreLock {

	private static final Logger logger = LoggerFactory.getLogger(StoreLock.class);

	private final ReentrantLock lock = new ReentrantLock();

	private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();

	Condition newCondition() {
		return this.lock.newCondition();
	}

	void lock() {
		this.lock.lock();
		runQueued();
	}

	void lockInterruptibly() throws InterruptedException {
		this.lock.lockInterruptibly();
		runQueued();
	}

	/**
	 * Release the lock after running what was queued; an action queued after that, by a thread that
	 * found the lock still held, is run here too (or by the thread that took the lock meanwhile).
	 */
	void unlock() {
		do {
			runQueued();
			this.lock.unlock();
		}
		while (!this.queued.isEmpty() && this.lock.tryLock());
	}

	/**
	 * Run an action under the lock without waiting for it: at once when the lock is free, otherwise
	 * on the thread that holds it, before it releases it.
	 */
	void runUnderLock(Runnable action) {
		this.queued.add(action);
		if (this.lock.tryLock()) {
			unlock();
		}
	}

	/** Run the queued actions; the caller holds the lock (again, after waiting on a condition). */
	void runQueued() {
		for (Runnable action = this.queued.poll(); action != null; action = this.queued.poll()) {
			try {
				action.run();
			}
			catch (RuntimeException ex) {
				// one action's failure must not fail the unrelated call that happens to run it
				logger.error("An action queued for the in-memory store's lock failed", ex);
			}
		}
	}

}
