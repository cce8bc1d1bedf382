package io.worker.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The Redis backend's raw baseline: a minimal reliable queue with Lettuce alone. Producers LPUSH;
 * each consumer BLMOVEs the oldest task to a processing list, runs it, and LREMs it from there (the
 * ack), so a consumer that dies leaves its task in the processing list, as Worker leaves it leased.
 */
public final class LettuceBaseline extends SessionSubject {

	/** How long a consumer blocks before it looks whether it should stop. */
	private static final double BLOCK_SECONDS = 0.2;

	private final BenchRedis redis;

	public LettuceBaseline(BenchRedis redis) {
		this.redis = redis;
	}

	@Override
	public String name() {
		return "Lettuce reliable queue";
	}

	@Override
	public String backend() {
		return "redis";
	}

	@Override
	public Role role() {
		return Role.BASELINE;
	}

	@Override
	protected Session open(int concurrency, CompletionTracker tracker) {
		return new LettuceSession(concurrency, tracker);
	}

	private final class LettuceSession implements Session {

		private final String prefix = "bench-" + UUID.randomUUID() + ":raw:";

		private final String pending = this.prefix + "pending";

		private final String processing = this.prefix + "processing";

		private final int concurrency;

		private final CompletionTracker tracker;

		private final RedisClient client = LettuceBaseline.this.redis.newClient();

		/** Lettuce multiplexes non-blocking commands from many threads over one connection. */
		private final StatefulRedisConnection<String, String> producer = this.client.connect();

		private final List<Thread> consumers = new ArrayList<>();

		private final List<StatefulRedisConnection<String, String>> consumerConnections = new ArrayList<>();

		private volatile boolean running = true;

		LettuceSession(int concurrency, CompletionTracker tracker) {
			this.concurrency = concurrency;
			this.tracker = tracker;
		}

		@Override
		public void enqueue(BenchPayload task) {
			this.producer.sync().lpush(this.pending, task.encode());
		}

		@Override
		public void enqueueAll(List<BenchPayload> tasks) {
			this.producer.sync().lpush(this.pending, tasks.stream().map(BenchPayload::encode).toArray(String[]::new));
		}

		@Override
		public void startConsumers() {
			for (int i = 0; i < this.concurrency; i++) {
				// a blocking BLMOVE holds its connection: one per consumer
				StatefulRedisConnection<String, String> connection = this.client.connect();
				connection.setTimeout(Duration.ofSeconds(30));
				this.consumerConnections.add(connection);
				Thread consumer = new Thread(() -> consume(connection.sync()), "lettuce-consumer-" + i);
				this.consumers.add(consumer);
				consumer.start();
			}
		}

		private void consume(RedisCommands<String, String> redis) {
			LMoveArgs rightToLeft = LMoveArgs.Builder.rightLeft();
			while (this.running) {
				String task = redis.blmove(this.pending, this.processing, rightToLeft, BLOCK_SECONDS);
				if (task != null) {
					BenchPayload payload = BenchPayload.decode(task);
					this.tracker.record(payload.id(), payload.enqueuedNanos());
					redis.lrem(this.processing, 1, task);
				}
			}
		}

		@Override
		public OptionalLong brokerMemory() {
			return OptionalLong.of(LettuceBaseline.this.redis.usedMemory());
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			for (Thread consumer : this.consumers) {
				consumer.join(TimeUnit.SECONDS.toMillis(10));
			}
			this.consumerConnections.forEach(StatefulRedisConnection::close);
			this.producer.close();
			this.client.shutdown();
			LettuceBaseline.this.redis.deleteKeys(this.prefix);
		}

	}

}
