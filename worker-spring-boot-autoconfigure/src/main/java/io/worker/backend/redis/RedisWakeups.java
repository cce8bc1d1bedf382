package io.worker.backend.redis;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;

/**
 * Wakes threads waiting in {@code dequeue} when a queue gets pending tasks, so that idle workers
 * send Redis nothing until there is work. Scripts that make an empty pending list non-empty
 * publish the queue's name on the namespace's wake-up channel; each message wakes one local
 * waiter of that queue, and a waiter that takes a task while more are pending wakes the next, so
 * a burst wakes as many waiters as it has tasks and a single task wakes one.
 * <p>
 * A waiter registers before it looks in Redis, so a message that arrives between its look and its
 * wait still wakes it. Messages lost while the subscription is down only delay tasks until the
 * waiters' own timeout.
 */
final class RedisWakeups implements MessageListener {

	private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

	Waiter register(List<String> queues) {
		Waiter waiter = new Waiter(queues);
		this.waiters.add(waiter);
		return waiter;
	}

	void deregister(Waiter waiter) {
		this.waiters.remove(waiter);
	}

	/** Wake one waiter of the queue that is not woken already. */
	void signal(String queue) {
		for (Waiter waiter : this.waiters) {
			if (waiter.queues.contains(queue) && waiter.wake(queue)) {
				return;
			}
		}
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		signal(RedisTaskCodec.text(message.getBody()));
	}

	/** A thread waiting for tasks of some queues. */
	static final class Waiter {

		private final List<String> queues;

		private final CountDownLatch latch = new CountDownLatch(1);

		private final AtomicReference<@Nullable String> wokenBy = new AtomicReference<>();

		private Waiter(List<String> queues) {
			this.queues = queues;
		}

		private boolean wake(String queue) {
			if (this.wokenBy.compareAndSet(null, queue)) {
				this.latch.countDown();
				return true;
			}
			return false;
		}

		/** Wait until woken or until the time is up. */
		void await(long nanos) throws InterruptedException {
			this.latch.await(nanos, TimeUnit.NANOSECONDS);
		}

		/** The queue whose tasks woke this waiter, or {@code null}. */
		@Nullable String wokenBy() {
			return this.wokenBy.get();
		}

	}

}
