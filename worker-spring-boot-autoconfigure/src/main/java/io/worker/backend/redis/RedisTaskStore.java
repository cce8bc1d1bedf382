package io.worker.backend.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

import io.worker.TaskConflictException;
import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.spi.Capability;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.QueueRateLimiter;
import io.worker.spi.RateLimit;
import io.worker.spi.ScheduleStore;
import io.worker.spi.TaskMessage;
import io.worker.spi.TaskStore;
import io.worker.spi.WorkerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * A {@link TaskStore} on Redis, modelled on asynq: a hash per task, a list or sorted set per state
 * and queue (see {@link RedisKeys}), and every state change one Lua script, so a task is in
 * exactly one state at any time. Uses the application's {@link RedisConnectionFactory}, plus one
 * subscriber connection shared by the wake-up and cancel channels.
 */
public final class RedisTaskStore implements TaskStore, AutoCloseable {

	/** What a script answers when a key of its queue holds a value of the wrong type. */
	static final long UNREADABLE = -1;

	/** How long the daily processed and failed counters are kept. */
	static final long COUNTER_TTL_SECONDS = Duration.ofDays(90).toSeconds();

	/** The most tasks a maintenance script moves or deletes in one queue per call. */
	private static final int BATCH_SIZE = 100;

	private final RedisKeys keys;

	private final RedisScripts scripts;

	private final Clock clock;

	private final Duration leaseDuration;

	private final int archiveMaxSize;

	private final Duration archiveMaxAge;

	private final RedisWakeups wakeups = new RedisWakeups();

	private final UnreadableQueues unreadableQueues = new UnreadableQueues();

	private final RedisCancelChannel cancelChannel;

	private final RedisWorkerRegistry workers;

	private final RedisTaskInspector inspector;

	private final RedisMessageListenerContainer subscriber;

	private final RedisEnqueuer enqueuer;

	private final RedisCompletions completions = new RedisCompletions(this);

	/**
	 * Create a store and subscribe to its namespace's channels.
	 * @param connectionFactory the connections to Redis
	 * @param namespace the prefix of every key, such as {@code worker}
	 * @param clock the clock for due times, leases and retention
	 * @param leaseDuration how long a dequeued task stays leased without an extension
	 * @param archiveMaxSize the most archived tasks kept per queue
	 * @param archiveMaxAge how long archived tasks are kept
	 */
	public RedisTaskStore(RedisConnectionFactory connectionFactory, String namespace, Clock clock,
			Duration leaseDuration, int archiveMaxSize, Duration archiveMaxAge) {
		this.keys = new RedisKeys(namespace);
		this.scripts = new RedisScripts(connectionFactory);
		this.enqueuer = new RedisEnqueuer(this.keys, this.scripts);
		this.clock = clock;
		this.leaseDuration = leaseDuration;
		this.archiveMaxSize = archiveMaxSize;
		this.archiveMaxAge = archiveMaxAge;
		this.cancelChannel = new RedisCancelChannel(this.scripts, this.keys.cancelChannel());
		this.workers = new RedisWorkerRegistry(this.scripts, this.keys, clock);
		this.inspector = new RedisTaskInspector(this);
		this.subscriber = new RedisMessageListenerContainer();
		this.subscriber.setConnectionFactory(connectionFactory);
		// listeners only signal latches or hand an id on: no thread per message needed
		this.subscriber.setTaskExecutor(new SyncTaskExecutor());
		this.subscriber.addMessageListener(this.wakeups, new ChannelTopic(this.keys.wakeupChannel()));
		this.subscriber.addMessageListener(this.cancelChannel, new ChannelTopic(this.keys.cancelChannel()));
		this.subscriber.afterPropertiesSet();
		this.subscriber.start();
	}

	@Override
	public String name() {
		return "redis";
	}

	@Override
	public Set<Capability> capabilities() {
		return Collections.unmodifiableSet(EnumSet.allOf(Capability.class));
	}

	@Override
	public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
		return this.enqueuer.enqueue(requests, this.clock.instant());
	}

	@Override
	public List<Delivery> dequeue(List<String> queues, int max, Duration maxWait) throws InterruptedException {
		long deadline = System.nanoTime() + maxWait.toNanos();
		while (true) {
			RedisWakeups.Waiter waiter = this.wakeups.register(queues);
			try {
				List<Delivery> taken = take(queues, max);
				if (!taken.isEmpty()) {
					String wokenBy = waiter.wokenBy();
					if (wokenBy != null && taken.stream().noneMatch((delivery) -> wokenBy.equals(delivery.message().queue()))) {
						// this thread took other queues' tasks: pass the wake-up on
						this.wakeups.signal(wokenBy);
					}
					return taken;
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return List.of();
				}
				waiter.await(left);
			}
			finally {
				this.wakeups.deregister(waiter);
			}
		}
	}

	/**
	 * One script call per queue tried, each taking as many tasks as are still wanted. A queue whose
	 * keys cannot be read (a key of the wrong type put there by hand) is passed over, so that it
	 * holds back no other queue.
	 */
	List<Delivery> take(List<String> queues, int max) {
		String token = newToken();
		List<Delivery> taken = new ArrayList<>(Math.min(max, 64));
		for (String queue : queues) {
			if (taken.size() == max) {
				break;
			}
			List<?> reply = this.scripts.eval(RedisScripts.DEQUEUE
				.keys(this.keys.pending(queue), this.keys.paused(queue), this.keys.lease(queue))
				.args(leaseExpiry(), token, this.keys.queuePrefix(queue), max - taken.size(), queue), ReturnType.MULTI);
			taken.addAll(deliveries(queue, token, reply));
		}
		return taken;
	}

	/**
	 * The tasks of one queue a script took (take.lua's answer), leased under {@code token}. Tells
	 * whether the queue could be read, and wakes another waiting fetch when tasks are left.
	 */
	List<Delivery> deliveries(String queue, String token, @Nullable List<?> reply) {
		if (reply != null && reply.size() == 1 && Long.valueOf(UNREADABLE).equals(reply.get(0))) {
			this.unreadableQueues.unreadable(queue);
			return List.of();
		}
		this.unreadableQueues.readable(queue);
		if (reply == null || reply.isEmpty()) {
			return List.of();
		}
		if ((Long) reply.get(0) > 0) {
			this.wakeups.signal(queue);
		}
		List<Delivery> taken = new ArrayList<>(reply.size() / 2);
		for (int i = 1; i + 1 < reply.size(); i += 2) {
			String id = RedisTaskCodec.text((byte[]) reply.get(i));
			Map<String, byte[]> hash = RedisTaskCodec.toMap((List<?>) reply.get(i + 1), 0);
			RedisTaskCodec.Read read = RedisTaskCodec.read(id, queue, hash);
			Instant readyAt = (read.malformed() != null) ? this.clock.instant()
					: RedisTaskCodec.readyAt(hash, read.message());
			taken.add(new RedisDelivery(this, read.message(), token, readyAt, read.malformed()));
		}
		return taken;
	}

	/** A new delivery token, which fences the settling scripts of the tasks taken with it. */
	static String newToken() {
		return Long.toHexString(ThreadLocalRandom.current().nextLong());
	}

	@Override
	public int forwardDue(Instant now) {
		return forEachQueue((queue) -> RedisScripts.FORWARD
			.keys(this.keys.scheduled(queue), this.keys.retry(queue), this.keys.pending(queue))
			.args(now.toEpochMilli(), BATCH_SIZE, this.keys.queuePrefix(queue), this.keys.wakeupChannel(), queue));
	}

	@Override
	public int recoverExpiredLeases(Instant now) {
		LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
		return forEachQueue((queue) -> RedisScripts.RECOVER
			.keys(this.keys.lease(queue), this.keys.retry(queue), this.keys.archived(queue),
					this.keys.processed(queue, day), this.keys.failed(queue, day))
			.args(now.toEpochMilli(), BATCH_SIZE, this.keys.queuePrefix(queue), "lease expired", RedisTimes.millis(now),
					COUNTER_TTL_SECONDS));
	}

	@Override
	public int deleteExpired(Instant now) {
		long oldestKept = now.minus(this.archiveMaxAge).toEpochMilli();
		return forEachQueue((queue) -> RedisScripts.JANITOR
			.keys(this.keys.completed(queue), this.keys.archived(queue))
			.args(now.toEpochMilli(), oldestKept, this.archiveMaxSize, BATCH_SIZE, this.keys.queuePrefix(queue)));
	}

	/**
	 * Run a maintenance script for every known queue, all queues in one pipeline, again for each
	 * queue whose batch came back full. A queue that cannot be read is passed over.
	 */
	private int forEachQueue(Function<String, RedisScripts.Call> script) {
		List<String> queues = knownQueues();
		int total = 0;
		while (!queues.isEmpty()) {
			List<Long> replies = evalEach(queues, script);
			List<String> full = new ArrayList<>();
			for (int i = 0; i < queues.size(); i++) {
				long count = replies.get(i);
				total += (int) count;
				if (count >= BATCH_SIZE) {
					full.add(queues.get(i));
				}
			}
			queues = full;
		}
		return total;
	}

	/**
	 * One count per queue; a queue whose script found a key of the wrong type (it answers
	 * {@value #UNREADABLE}) counts 0 and is reported.
	 */
	private List<Long> evalEach(List<String> queues, Function<String, RedisScripts.Call> script) {
		List<Object> replies = this.scripts.evalPipelined(queues.stream().map(script).toList(), ReturnType.INTEGER);
		List<Long> counts = new ArrayList<>(replies.size());
		for (int i = 0; i < replies.size(); i++) {
			long count = (Long) replies.get(i);
			if (count == UNREADABLE) {
				this.unreadableQueues.unreadable(queues.get(i));
				count = 0;
			}
			counts.add(count);
		}
		return counts;
	}

	List<String> knownQueues() {
		Set<byte[]> members = this.scripts
			.execute((connection) -> connection.setCommands().sMembers(RedisTaskCodec.bytes(this.keys.queues())));
		return (members != null) ? members.stream().map(RedisTaskCodec::text).sorted().toList() : List.of();
	}

	@Override
	public WorkerRegistry workerRegistry() {
		return this.workers;
	}

	@Override
	public QueueRateLimiter sharedRateLimiter(Map<String, RateLimit> limits) {
		return new RedisQueueRateLimiter(this.scripts, this.keys, limits);
	}

	@Override
	public ScheduleStore scheduleStore() {
		return new RedisScheduleStore(this.scripts, this.keys.namespace());
	}

	@Override
	public TaskInspector inspector() {
		return this.inspector;
	}

	@Override
	public void onCancel(Consumer<String> listener) {
		this.cancelChannel.addListener(listener);
	}

	@Override
	public void ping() {
		this.scripts.execute((connection) -> connection.ping());
	}

	/** Unsubscribe and release the subscriber connection. */
	@Override
	public void close() {
		this.subscriber.stop();
	}

	RedisKeys keys() {
		return this.keys;
	}

	RedisScripts scripts() {
		return this.scripts;
	}

	RedisCompletions completions() {
		return this.completions;
	}

	Clock clock() {
		return this.clock;
	}

	RedisWorkerRegistry workers() {
		return this.workers;
	}

	RedisCancelChannel cancelChannel() {
		return this.cancelChannel;
	}

	long leaseExpiry() {
		return this.clock.millis() + this.leaseDuration.toMillis();
	}

	/** Today (UTC), the day the daily counters count. */
	LocalDate today() {
		return LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

}
