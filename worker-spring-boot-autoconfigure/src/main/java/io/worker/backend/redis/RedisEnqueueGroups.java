package io.worker.backend.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.worker.TaskEnqueueException;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import org.jspecify.annotations.Nullable;

/**
 * Sends the one-task enqueues of concurrent callers together (a group commit): while one call is
 * in flight, later callers' tasks wait in a queue, and the first of them, once the call in flight
 * has its answer, sends them all in the next call. Redis then runs one script for the group where
 * it ran one per task. Each caller still returns only once Redis answered for its own task, with
 * that task's own result: a conflict of one task does not fail the others. A caller waits at most
 * for the call in flight and then its own, each bounded by the connection's command timeout.
 */
final class RedisEnqueueGroups {

	private final Function<List<EnqueueRequest>, List<EnqueueResult>> send;

	private final int maxGroup;

	private final Object lock = new Object();

	/** Callers waiting for the next call, in arrival order; guarded by {@link #lock}. */
	private List<Caller> queued = new ArrayList<>();

	/** Whether a call is in flight; guarded by {@link #lock}. */
	private boolean sending;

	/**
	 * @param send stores a group of tasks in one round trip, one result per task, in order
	 * @param maxGroup the most tasks one call sends
	 */
	RedisEnqueueGroups(Function<List<EnqueueRequest>, List<EnqueueResult>> send, int maxGroup) {
		this.send = send;
		this.maxGroup = maxGroup;
	}

	/** Store one task, with the tasks of concurrent callers; returns once Redis answered for it. */
	EnqueueResult enqueue(EnqueueRequest request) {
		Caller self = new Caller(request);
		boolean lead;
		synchronized (this.lock) {
			lead = !this.sending;
			if (lead) {
				this.sending = true;
			}
			else {
				this.queued.add(self);
			}
		}
		if (lead) {
			send(List.of(self));
		}
		else if (self.awaitTurn()) {
			send(takeGroup());
		}
		return self.result();
	}

	private List<Caller> takeGroup() {
		synchronized (this.lock) {
			if (this.queued.size() <= this.maxGroup) {
				List<Caller> group = this.queued;
				this.queued = new ArrayList<>();
				return group;
			}
			List<Caller> head = this.queued.subList(0, this.maxGroup);
			List<Caller> group = new ArrayList<>(head);
			head.clear();
			return group;
		}
	}

	/** Send a group, pass the next group's turn on, then wake the group's callers with their results. */
	private void send(List<Caller> group) {
		List<EnqueueResult> results = null;
		RuntimeException failure = null;
		try {
			List<EnqueueRequest> requests = new ArrayList<>(group.size());
			group.forEach((caller) -> requests.add(caller.request));
			results = this.send.apply(requests);
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		finally {
			passTurn();
			for (int i = 0; i < group.size(); i++) {
				group.get(i).answer((results != null) ? results.get(i) : refused(group.get(i), failure));
			}
		}
	}

	private void passTurn() {
		Caller next;
		synchronized (this.lock) {
			if (this.queued.isEmpty()) {
				this.sending = false;
				return;
			}
			next = this.queued.get(0);
		}
		next.lead();
	}

	private static EnqueueResult refused(Caller caller, @Nullable RuntimeException failure) {
		String message = "Redis did not store task '" + caller.request.message().id() + "' of queue '"
				+ caller.request.message().queue() + "'";
		return EnqueueResult.refused((failure != null) ? new TaskEnqueueException(message + ": " + failure.getMessage(),
				failure) : new TaskEnqueueException(message));
	}

	/** One waiting caller: its task, then either its result or its turn to send the next group. */
	private static final class Caller {

		private final EnqueueRequest request;

		private final Thread thread = Thread.currentThread();

		private volatile @Nullable EnqueueResult result;

		private volatile boolean leading;

		Caller(EnqueueRequest request) {
			this.request = request;
		}

		void answer(EnqueueResult result) {
			this.result = result;
			if (this.thread != Thread.currentThread()) {
				LockSupport.unpark(this.thread);
			}
		}

		void lead() {
			this.leading = true;
			LockSupport.unpark(this.thread);
		}

		/**
		 * Wait for a result or the turn to send. Not interruptible: once queued the task may already be
		 * on its way to Redis, and only Redis's answer says whether it was stored; the interrupt is kept.
		 * @return whether it is this caller's turn to send
		 */
		boolean awaitTurn() {
			boolean interrupted = false;
			while (this.result == null && !this.leading) {
				LockSupport.park(this);
				interrupted |= Thread.interrupted();
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			return this.result == null;
		}

		EnqueueResult result() {
			EnqueueResult answer = this.result;
			if (answer == null) {
				throw new IllegalStateException("No result for task '" + this.request.message().id() + "'");
			}
			return answer;
		}

	}

}
