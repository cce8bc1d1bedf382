package io.worker.backend.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.worker.TaskConflictException;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.Capability;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskMessage;
import io.worker.spi.ScheduleStore;
import io.worker.spi.TaskStore;
import io.worker.spi.WorkerRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskStore} in this process's memory: every semantic of the contract (delays, retries,
 * leases, unique tasks, archive, retention, pause, inspection), none of the durability. Tasks are
 * lost when the process ends.
 * <p>
 * One lock guards all state; waiting fetchers are woken by enqueues, so a new task starts at once.
 * Every waiter is woken, since each waits on its own list of queues. A completion does not wait for
 * the lock: it is applied by whoever holds it, before anyone else reads the state ({@link StoreLock}).
 */
public final class InMemoryTaskStore implements TaskStore, WorkerRegistry {

	private static final Logger logger = LoggerFactory.getLogger(InMemoryTaskStore.class);

	private static final Comparator<StoredTask> LONGEST_ARCHIVED_FIRST = Comparator
		.comparing((StoredTask task) -> task.finishedAt)
		.thenComparingLong((task) -> task.sequence);

	private final StoreLock lock = new StoreLock();

	private final Condition taskAvailable = this.lock.newCondition();

	final Map<String, QueueState> queues = new LinkedHashMap<>();

	private final UniqueLocks uniqueLocks = new UniqueLocks();

	final Map<String, Registration> workers = new LinkedHashMap<>();

	private final List<Consumer<String>> cancelListeners = new CopyOnWriteArrayList<>();

	private final TaskRecorder recorder;

	final Clock clock;

	private final Duration leaseDuration;

	private final int archiveMaxSize;

	private final Duration archiveMaxAge;

	private final InMemoryTaskInspector inspector;

	private final InMemoryScheduleStore schedules;

	private long sequence;

	private volatile @Nullable Consumer<Delivery> inlineRunner;

	/**
	 * @param leaseDuration how long a dequeued task's lease lasts without extension
	 * @param archiveMaxSize the most archived tasks kept per queue
	 * @param archiveMaxAge how long archived tasks are kept
	 * @param recorder keeps what was enqueued, for tests
	 */
	public InMemoryTaskStore(Clock clock, Duration leaseDuration, int archiveMaxSize, Duration archiveMaxAge,
			TaskRecorder recorder) {
		this.clock = clock;
		this.leaseDuration = leaseDuration;
		this.archiveMaxSize = archiveMaxSize;
		this.archiveMaxAge = archiveMaxAge;
		this.recorder = recorder;
		this.inspector = new InMemoryTaskInspector(this);
		this.schedules = new InMemoryScheduleStore(clock);
	}

	/**
	 * Run each pending task synchronously inside its enqueue, on the enqueuing thread (for tests).
	 * @param runner runs and settles a delivery, or {@code null} to switch back to workers
	 */
	public void runInline(@Nullable Consumer<Delivery> runner) {
		this.inlineRunner = runner;
	}

	@Override
	public String name() {
		return "memory";
	}

	@Override
	public Set<Capability> capabilities() {
		return EnumSet.allOf(Capability.class);
	}

	@Override
	public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
		List<EnqueueResult> results = new ArrayList<>(requests.size());
		for (EnqueueRequest request : requests) {
			results.add(enqueueOne(request));
		}
		return results;
	}

	private EnqueueResult enqueueOne(EnqueueRequest request) {
		TaskMessage message = request.message();
		Consumer<Delivery> inline = this.inlineRunner;
		StoredTask stored;
		TaskInfo info;
		Delivery inlineDelivery = null;
		this.lock.lock();
		try {
			Instant now = this.clock.instant();
			QueueState queue = queue(message.queue());
			if (queue.tasks.containsKey(message.id())) {
				return EnqueueResult.refused(new TaskConflictException(
						"A task with id '" + message.id() + "' already exists in queue '" + message.queue() + "'"));
			}
			String holder = this.uniqueLocks.acquire(message, now);
			if (holder != null) {
				return EnqueueResult.refused(new TaskConflictException("A unique task of type '" + message.type()
						+ "' with the same payload is already held in queue '" + message.queue() + "' by task '"
						+ holder + "'"));
			}
			boolean delayed = request.processAt() != null;
			stored = new StoredTask(++this.sequence, message, delayed ? TaskState.SCHEDULED : TaskState.PENDING,
					delayed ? request.processAt() : now);
			queue.tasks.put(message.id(), stored);
			if (delayed) {
				queue.waiting.add(stored);
			}
			else if (inline != null) {
				inlineDelivery = activate(stored);
			}
			else {
				queue.pending.addLast(stored);
				this.taskAvailable.signalAll();
			}
			this.recorder.record(message);
			// read under the lock: a worker may take the task the moment it is released
			info = info(stored);
		}
		finally {
			this.lock.unlock();
		}
		if (inline != null && inlineDelivery != null) {
			inline.accept(inlineDelivery);
			return EnqueueResult.stored(settledInfo(stored));
		}
		return EnqueueResult.stored(info);
	}

	/** What became of a task run inline: a task deleted on success reports COMPLETED. */
	private TaskInfo settledInfo(StoredTask stored) {
		return locked(() -> {
			TaskInfo info = info(stored);
			return queue(stored.message.queue()).tasks.containsKey(stored.id()) ? info
					: new TaskInfo(info.id(), info.type(), info.queue(), TaskState.COMPLETED, null);
		});
	}

	/** A dequeue is a call under this store's lock: workers take their next task themselves. */
	@Override
	public boolean dequeuesInProcess() {
		return true;
	}

	@Override
	public List<Delivery> dequeue(List<String> queueNames, int max, Duration maxWait) throws InterruptedException {
		long remaining = maxWait.toNanos();
		this.lock.lockInterruptibly();
		try {
			while (true) {
				List<Delivery> taken = new ArrayList<>(Math.min(max, 64));
				for (String name : queueNames) {
					QueueState queue = this.queues.get(name);
					while (queue != null && !queue.paused && !queue.pending.isEmpty() && taken.size() < max) {
						taken.add(activate(queue.pending.removeFirst()));
					}
				}
				if (!taken.isEmpty() || remaining <= 0) {
					return taken;
				}
				remaining = this.taskAvailable.awaitNanos(remaining);
				this.lock.runQueued();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private Delivery activate(StoredTask task) {
		task.state = TaskState.ACTIVE;
		task.deliveryToken = ++this.sequence;
		task.leaseExpiresAt = this.clock.instant().plus(this.leaseDuration);
		return new InMemoryDelivery(this, task.message, task.readyAt, task.deliveryToken);
	}

	@Override
	public int forwardDue(Instant now) {
		return locked(() -> {
			int moved = 0;
			for (QueueState queue : this.queues.values()) {
				while (!queue.waiting.isEmpty() && !queue.waiting.first().readyAt.isAfter(now)) {
					StoredTask task = queue.waiting.pollFirst();
					task.state = TaskState.PENDING;
					queue.pending.addLast(task);
					moved++;
				}
			}
			if (moved > 0) {
				this.taskAvailable.signalAll();
			}
			return moved;
		});
	}

	@Override
	public int recoverExpiredLeases(Instant now) {
		return locked(() -> {
			int recovered = 0;
			for (QueueState queue : this.queues.values()) {
				for (StoredTask task : queue.tasks.values()) {
					if (task.state == TaskState.ACTIVE && task.leaseExpiresAt != null
							&& task.leaseExpiresAt.isBefore(now)) {
						logger.warn("Lease of task {} in queue {} expired; it will be retried", task.id(), queue.name);
						toWaiting(queue, task, task.message.failed("lease expired", now), TaskState.RETRY, now);
						recovered++;
					}
				}
			}
			return recovered;
		});
	}

	@Override
	public int deleteExpired(Instant now) {
		return locked(() -> {
			int deleted = 0;
			Instant oldestArchived = now.minus(this.archiveMaxAge);
			for (QueueState queue : this.queues.values()) {
				List<StoredTask> archived = new ArrayList<>();
				for (Iterator<StoredTask> it = queue.tasks.values().iterator(); it.hasNext();) {
					StoredTask task = it.next();
					boolean expired = (task.state == TaskState.COMPLETED && !task.expiresAt.isAfter(now))
							|| (task.state == TaskState.ARCHIVED && task.finishedAt.isBefore(oldestArchived));
					if (expired) {
						it.remove();
						deleted++;
					}
					else if (task.state == TaskState.ARCHIVED) {
						archived.add(task);
					}
				}
				archived.sort(LONGEST_ARCHIVED_FIRST);
				for (int i = 0; i < archived.size() - this.archiveMaxSize; i++) {
					queue.tasks.remove(archived.get(i).id());
					deleted++;
				}
			}
			this.uniqueLocks.deleteExpired(now);
			this.workers.values().removeIf((registration) -> registration.expiresAt.isBefore(now));
			return deleted;
		});
	}

	@Override
	public WorkerRegistry workerRegistry() {
		return this;
	}

	@Override
	public void heartbeat(WorkerInfo worker, Duration ttl) {
		locked(() -> this.workers.put(worker.id(), new Registration(worker, this.clock.instant().plus(ttl))));
	}

	@Override
	public void unregister(String workerId) {
		locked(() -> this.workers.remove(workerId));
	}

	@Override
	public ScheduleStore scheduleStore() {
		return this.schedules;
	}

	@Override
	public TaskInspector inspector() {
		return this.inspector;
	}

	@Override
	public void onCancel(Consumer<String> listener) {
		this.cancelListeners.add(listener);
	}

	void cancel(String taskId) {
		this.cancelListeners.forEach((listener) -> listener.accept(taskId));
	}

	@Override
	public void ping() {
	}

	/** Applied under the lock later when another thread holds it: a worker goes on to its next task. */
	void complete(TaskMessage message, long token, byte @Nullable [] result) {
		Instant completedAt = this.clock.instant();
		LocalDate completedOn = day(completedAt);
		this.lock.runUnderLock(() -> settleLocked(message, token, completedAt, (queue, task, now) -> {
			releaseUniqueLock(task.message);
			queue.count(completedOn, false);
			Duration retention = task.message.retention();
			if (retention == null || retention.isZero()) {
				queue.tasks.remove(task.id());
				return;
			}
			task.state = TaskState.COMPLETED;
			task.result = result;
			task.finishedAt = now;
			task.expiresAt = now.plus(retention);
		}));
	}

	void retry(TaskMessage failed, long token, Instant processAt) {
		settle(failed, token, (queue, task, now) -> {
			queue.count(day(now), true);
			toWaiting(queue, task, failed, TaskState.RETRY, processAt);
		});
	}

	void archive(TaskMessage failed, long token) {
		settle(failed, token, (queue, task, now) -> {
			queue.count(day(now), true);
			task.message = failed;
			task.state = TaskState.ARCHIVED;
			task.finishedAt = now;
		});
	}

	void requeue(TaskMessage message, long token) {
		settle(message, token, (queue, task, now) -> {
			task.state = TaskState.PENDING;
			queue.pending.addFirst(task);
			this.taskAvailable.signalAll();
		});
	}

	boolean extendLease(TaskMessage message, long token) {
		return locked(() -> {
			StoredTask task = active(message, token);
			if (task != null) {
				task.leaseExpiresAt = this.clock.instant().plus(this.leaseDuration);
			}
			return task != null;
		});
	}

	void reportProgress(TaskMessage message, long token, int percent, @Nullable String progressMessage) {
		locked(() -> {
			StoredTask task = active(message, token);
			if (task != null) {
				task.progress = percent;
				task.progressMessage = progressMessage;
			}
			return null;
		});
	}

	/** Make a task wait for a due time: scheduled or retry. Caller holds the lock. */
	void toWaiting(QueueState queue, StoredTask task, TaskMessage message, TaskState state, Instant at) {
		queue.waiting.remove(task);
		task.message = message;
		task.state = state;
		task.readyAt = at;
		task.leaseExpiresAt = null;
		queue.waiting.add(task);
	}

	/** Caller holds the lock. */
	void releaseUniqueLock(TaskMessage message) {
		this.uniqueLocks.release(message);
	}

	/** The queues that ever held a task or were paused. */
	List<String> queueNames() {
		return locked(() -> List.copyOf(this.queues.keySet()));
	}

	/** Caller holds the lock; called after pending tasks were added outside an enqueue. */
	void signalAvailable() {
		this.taskAvailable.signalAll();
	}

	private void settle(TaskMessage message, long token, Settlement settlement) {
		locked(() -> {
			settleLocked(message, token, this.clock.instant(), settlement);
			return null;
		});
	}

	/** Caller holds the lock. */
	private void settleLocked(TaskMessage message, long token, Instant now, Settlement settlement) {
		StoredTask task = active(message, token);
		if (task == null) {
			logger.warn("Task {} in queue {} is no longer held by this delivery; its outcome is ignored", message.id(),
					message.queue());
			return;
		}
		task.leaseExpiresAt = null;
		settlement.apply(queue(message.queue()), task, now);
	}

	private @Nullable StoredTask active(TaskMessage message, long token) {
		QueueState queue = this.queues.get(message.queue());
		StoredTask task = (queue != null) ? queue.tasks.get(message.id()) : null;
		return (task != null && task.state == TaskState.ACTIVE && task.deliveryToken == token) ? task : null;
	}

	/** The queue, created on first use. Caller holds the lock. */
	QueueState queue(String name) {
		return this.queues.computeIfAbsent(name, QueueState::new);
	}

	TaskInfo info(StoredTask task) {
		Instant next = switch (task.state) {
			case PENDING, SCHEDULED, RETRY -> task.readyAt;
			default -> null;
		};
		return new TaskInfo(task.id(), task.message.type(), task.message.queue(), task.state, next);
	}

	<T> T locked(Supplier<T> action) {
		this.lock.lock();
		try {
			return action.get();
		}
		finally {
			this.lock.unlock();
		}
	}

	static LocalDate day(Instant instant) {
		return LocalDate.ofInstant(instant, ZoneOffset.UTC);
	}

	@FunctionalInterface
	private interface Settlement {

		void apply(QueueState queue, StoredTask task, Instant now);

	}

	record Registration(WorkerInfo worker, Instant expiresAt) {
	}

}
