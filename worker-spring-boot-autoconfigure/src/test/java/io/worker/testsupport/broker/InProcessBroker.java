package io.worker.testsupport.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.spi.BrokerContext;
import io.worker.spi.Capability;
import io.worker.spi.Delivery;
import io.worker.spi.DeliverySink;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskBroker;
import io.worker.spi.TaskMessage;
import io.worker.spi.UnsupportedSettingException;
import org.jspecify.annotations.Nullable;

/**
 * A push broker inside the test's JVM that behaves like a real one, to prove the runtime's broker
 * side before RabbitMQ and Kafka exist: one consumer thread per broker that polls its queues and
 * offers deliveries up to each queue's prefetch, manual acks, nack with redelivery and a delivery
 * count, delays by timer (never early), an archive, deliveries that can be revoked, a consumer that
 * can be killed (every unacked delivery comes back with one more delivery count), settlements that
 * can be made to fail, and eviction of a consumer whose thread stops polling for longer than its
 * poll timeout (as Kafka's {@code max.poll.interval.ms}). Not shipped as a backend.
 */
public final class InProcessBroker implements TaskBroker {

	/** The consumer thread's name, so tests can tell it from the runtime's workers. */
	public static final String CONSUMER_THREAD = "in-process-broker-consumer";

	private static final long POLL_WAIT_MILLIS = 5;

	private final Object lock = new Object();

	private final Map<String, Deque<Message>> ready = new LinkedHashMap<>();

	private final Map<Long, InFlight> unacked = new LinkedHashMap<>();

	private final Map<String, List<TaskMessage>> archive = new HashMap<>();

	private final Map<String, AtomicInteger> offeredPerQueue = new HashMap<>();

	private final List<Consumer<String>> cancelListeners = new CopyOnWriteArrayList<>();

	private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

	private final AtomicLong tags = new AtomicLong();

	private final AtomicLong polls = new AtomicLong();

	private final AtomicInteger acks = new AtomicInteger();

	private final AtomicInteger nacks = new AtomicInteger();

	private final AtomicInteger evictions = new AtomicInteger();

	private final AtomicInteger failingSettlements = new AtomicInteger();

	private final Clock clock = Clock.systemUTC();

	private final Duration pollTimeout;

	private final boolean refusesStrictPriority;

	private final InProcessBrokerInspector inspector = new InProcessBrokerInspector(this);

	private volatile @Nullable BrokerContext context;

	private volatile @Nullable DeliverySink sink;

	private volatile boolean consuming;

	/** How many deliveries each queue may have unacked, or 0 for the prefetch the runtime asks for. */
	private volatile int prefetchOverride;

	private @Nullable Thread consumer;

	/**
	 * @param pollTimeout how long the consumer thread may go without polling before it is evicted
	 * @param refusesStrictPriority whether {@code start} refuses strict priority, as a broker that cannot
	 *     honour it must
	 */
	public InProcessBroker(Duration pollTimeout, boolean refusesStrictPriority) {
		this.pollTimeout = pollTimeout;
		this.refusesStrictPriority = refusesStrictPriority;
	}

	public InProcessBroker() {
		this(Duration.ofMinutes(1), false);
	}

	/**
	 * Offer up to {@code count} deliveries per queue instead of the runtime's prefetch, so that a test
	 * can keep every queue buffered whatever the consumer thread's refill latency on a loaded machine.
	 * @return this broker
	 */
	public InProcessBroker prefetch(int count) {
		this.prefetchOverride = count;
		return this;
	}

	@Override
	public String name() {
		return "in-process";
	}

	@Override
	public Set<Capability> capabilities() {
		return EnumSet.of(Capability.DELAYED, Capability.LIST_ARCHIVED);
	}

	@Override
	public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
		List<EnqueueResult> results = new ArrayList<>();
		for (EnqueueRequest request : requests) {
			TaskMessage message = request.message();
			Instant processAt = request.processAt();
			if (processAt == null) {
				publish(message, 1);
				results.add(EnqueueResult.stored(
						new TaskInfo(message.id(), message.type(), message.queue(), TaskState.PENDING, message.enqueuedAt())));
			}
			else {
				publishAt(message, processAt);
				results.add(EnqueueResult.stored(
						new TaskInfo(message.id(), message.type(), message.queue(), TaskState.SCHEDULED, processAt)));
			}
		}
		return results;
	}

	@Override
	public TaskInspector inspector() {
		return this.inspector;
	}

	@Override
	public void onCancel(Consumer<String> listener) {
		this.cancelListeners.add(listener);
	}

	@Override
	public void ping() {
	}

	@Override
	public void start(BrokerContext context, DeliverySink sink) {
		if (this.refusesStrictPriority && context.strictPriority()) {
			throw new UnsupportedSettingException(name(), "worker.server.strict-priority",
					"it delivers each queue in order and cannot prefer one queue's messages over another's");
		}
		this.context = context;
		this.sink = sink;
		this.consuming = true;
		Thread thread = new Thread(this::consumeLoop, CONSUMER_THREAD);
		thread.setDaemon(true);
		this.consumer = thread;
		thread.start();
	}

	@Override
	public void stopConsuming() {
		this.consuming = false;
		Thread thread = this.consumer;
		if (thread != null) {
			synchronized (this.lock) {
				this.lock.notifyAll();
			}
			join(thread);
		}
	}

	@Override
	public void stop() {
		stopConsuming();
		this.timers.shutdownNow();
		// a closed connection returns every unacked delivery
		kill();
	}

	// what tests look at and do

	/** The context the runtime started this broker with, or {@code null} before. */
	public @Nullable BrokerContext context() {
		return this.context;
	}

	/** How many times the consumer thread polled. */
	public long polls() {
		return this.polls.get();
	}

	public int acks() {
		return this.acks.get();
	}

	public int nacks() {
		return this.nacks.get();
	}

	/** How many times the consumer was evicted for not polling within its poll timeout. */
	public int evictions() {
		return this.evictions.get();
	}

	/** The messages ready in a queue, oldest first. */
	public List<TaskMessage> ready(String queue) {
		synchronized (this.lock) {
			return this.ready.getOrDefault(queue, new ArrayDeque<>()).stream().map(Message::task).toList();
		}
	}

	/** The delivery count the next delivery of the queue's head message will carry, or 0 when empty. */
	public int headDeliveryCount(String queue) {
		synchronized (this.lock) {
			Message head = this.ready.getOrDefault(queue, new ArrayDeque<>()).peekFirst();
			return (head != null) ? head.deliveryCount : 0;
		}
	}

	/** How many deliveries are offered and not yet acknowledged. */
	public int unackedCount() {
		synchronized (this.lock) {
			return this.unacked.size();
		}
	}

	/** The archived tasks of a queue, oldest first. */
	public List<TaskMessage> archived(String queue) {
		synchronized (this.lock) {
			return List.copyOf(this.archive.getOrDefault(queue, List.of()));
		}
	}

	/** Make the next {@code count} settlements fail, as a broker that cannot be reached would. */
	public void failNextSettlements(int count) {
		this.failingSettlements.set(count);
	}

	/**
	 * Kill the consumer's connection: every unacked delivery can no longer be settled and is
	 * delivered again with one more delivery count.
	 */
	public void kill() {
		synchronized (this.lock) {
			new ArrayList<>(this.unacked.values()).forEach(this::returnUnacked);
			this.lock.notifyAll();
		}
	}

	/**
	 * Revoke the delivery of one task (its partition was reassigned, its channel closed): it can no
	 * longer be settled and is delivered again with one more delivery count.
	 * @return whether the task had an unacked delivery
	 */
	public boolean revoke(String taskId) {
		synchronized (this.lock) {
			for (InFlight delivery : new ArrayList<>(this.unacked.values())) {
				if (delivery.message.id().equals(taskId)) {
					returnUnacked(delivery);
					this.lock.notifyAll();
					return true;
				}
			}
			return false;
		}
	}

	/** Tell every cancel listener, as the broadcast a real broker carries would. */
	void broadcastCancel(String taskId) {
		this.cancelListeners.forEach((listener) -> listener.accept(taskId));
	}

	/** Put an archived task back in its queue; {@code false} when the queue has no such archived task. */
	boolean rerunArchived(String queue, String id) {
		synchronized (this.lock) {
			List<TaskMessage> archived = this.archive.getOrDefault(queue, new ArrayList<>());
			for (TaskMessage task : archived) {
				if (task.id().equals(id)) {
					archived.remove(task);
					readyQueue(queue).addLast(new Message(task, 1));
					this.lock.notifyAll();
					return true;
				}
			}
			return false;
		}
	}

	/** Delete an archived task; {@code false} when the queue has no such archived task. */
	boolean deleteArchived(String queue, String id) {
		synchronized (this.lock) {
			return this.archive.getOrDefault(queue, new ArrayList<>()).removeIf((task) -> task.id().equals(id));
		}
	}

	Map<String, int[]> counts() {
		synchronized (this.lock) {
			Map<String, int[]> counts = new LinkedHashMap<>();
			this.ready.forEach((queue, messages) -> counts.computeIfAbsent(queue, (key) -> new int[3])[0] = messages.size());
			this.unacked.values().forEach((delivery) -> counts.computeIfAbsent(delivery.message.queue(),
					(key) -> new int[3])[1]++);
			this.archive.forEach((queue, tasks) -> counts.computeIfAbsent(queue, (key) -> new int[3])[2] = tasks.size());
			return counts;
		}
	}

	// the consumer

	private void consumeLoop() {
		long lastPoll = System.nanoTime();
		while (this.consuming) {
			long now = System.nanoTime();
			if (now - lastPoll > this.pollTimeout.toNanos()) {
				this.evictions.incrementAndGet();
				kill();
			}
			lastPoll = now;
			this.polls.incrementAndGet();
			for (InFlight delivery : take()) {
				// a real client calls the listener on its own thread: the runtime must return at once
				this.sink.offer(delivery).whenComplete((ignored, failure) -> finished(delivery, failure));
			}
			synchronized (this.lock) {
				try {
					this.lock.wait(POLL_WAIT_MILLIS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/** The ready messages each queue may deliver now, within its prefetch. */
	private List<InFlight> take() {
		BrokerContext context = this.context;
		List<InFlight> taken = new ArrayList<>();
		synchronized (this.lock) {
			for (String queue : context.queues()) {
				Deque<Message> messages = readyQueue(queue);
				AtomicInteger offered = this.offeredPerQueue.computeIfAbsent(queue, (key) -> new AtomicInteger());
				int prefetch = (this.prefetchOverride > 0) ? this.prefetchOverride : context.prefetch(queue);
				while (!messages.isEmpty() && offered.get() < prefetch) {
					Message message = messages.pollFirst();
					InFlight delivery = new InFlight(this.tags.incrementAndGet(), message.task, message.deliveryCount);
					this.unacked.put(delivery.tag, delivery);
					offered.incrementAndGet();
					taken.add(delivery);
				}
			}
		}
		return taken;
	}

	private void finished(InFlight delivery, @Nullable Throwable failure) {
		synchronized (this.lock) {
			this.offeredPerQueue.get(delivery.message.queue()).decrementAndGet();
			if (failure != null && this.unacked.containsKey(delivery.tag)) {
				// the runtime could not settle it: nack and requeue, one more delivery counted
				this.nacks.incrementAndGet();
				returnUnacked(delivery);
			}
			this.lock.notifyAll();
		}
	}

	/** Called holding the lock: the delivery is dead, its message goes back to the head of its queue. */
	private void returnUnacked(InFlight delivery) {
		if (this.unacked.remove(delivery.tag) != null) {
			delivery.revoked = true;
			readyQueue(delivery.message.queue()).addFirst(new Message(delivery.message, delivery.deliveryCount + 1));
		}
	}

	private void publish(TaskMessage message, int deliveryCount) {
		synchronized (this.lock) {
			readyQueue(message.queue()).addLast(new Message(message, deliveryCount));
			this.lock.notifyAll();
		}
	}

	private void publishAt(TaskMessage message, Instant processAt) {
		long delay = Math.max(0, Duration.between(this.clock.instant(), processAt).toMillis() + 1);
		this.timers.schedule(() -> publish(message, 1), delay, TimeUnit.MILLISECONDS);
	}

	private Deque<Message> readyQueue(String queue) {
		return this.ready.computeIfAbsent(queue, (key) -> new ArrayDeque<>());
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Message(TaskMessage task, int deliveryCount) {
	}

	/** One unacked delivery, settled by acknowledging it. */
	private final class InFlight implements Delivery {

		private final long tag;

		private final TaskMessage message;

		private final int deliveryCount;

		private volatile boolean revoked;

		InFlight(long tag, TaskMessage message, int deliveryCount) {
			this.tag = tag;
			this.message = message;
			this.deliveryCount = deliveryCount;
		}

		@Override
		public TaskMessage message() {
			return this.message;
		}

		@Override
		public int deliveryCount() {
			return this.deliveryCount;
		}

		@Override
		public void complete(byte @Nullable [] result) {
			ack(() -> {
			});
		}

		@Override
		public void retry(TaskMessage failed, Instant processAt) {
			ack(() -> publishAt(failed, processAt));
		}

		@Override
		public void archive(TaskMessage failed) {
			ack(() -> InProcessBroker.this.archive.computeIfAbsent(failed.queue(), (key) -> new ArrayList<>())
				.add(failed));
		}

		@Override
		public void requeue() {
			synchronized (InProcessBroker.this.lock) {
				checkSettleable();
				InProcessBroker.this.unacked.remove(this.tag);
				readyQueue(this.message.queue()).addFirst(new Message(this.message, this.deliveryCount));
				InProcessBroker.this.lock.notifyAll();
			}
		}

		@Override
		public boolean extendLease() {
			return !this.revoked;
		}

		/** Do what the settlement publishes, then acknowledge: both or neither. */
		private void ack(Runnable publishFirst) {
			synchronized (InProcessBroker.this.lock) {
				checkSettleable();
				if (InProcessBroker.this.failingSettlements.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
					throw new IllegalStateException("broker unreachable: settlement of " + this.message.id() + " failed");
				}
				publishFirst.run();
				InProcessBroker.this.unacked.remove(this.tag);
				InProcessBroker.this.acks.incrementAndGet();
			}
		}

		private void checkSettleable() {
			if (this.revoked || !InProcessBroker.this.unacked.containsKey(this.tag)) {
				throw new IllegalStateException("channel closed: delivery " + this.tag + " of task "
						+ this.message.id() + " can no longer be settled");
			}
		}

	}

}
