package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.worker.TaskHandler;
import io.worker.spi.Delivery;
import io.worker.spi.QueueRateLimiter;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The dispatcher between a broker and the worker pool: what happens to an offer when dispatching
 * it fails, and to offers still buffered when it stops.
 */
class BrokerDispatcherTests {

	private final RuntimeFixture fixture = new RuntimeFixture();

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private WorkerPool pool;

	private BrokerDispatcher dispatcher;

	BrokerDispatcherTests() {
		this.fixture.handlers(new Object() {

			@TaskHandler("record")
			void record(String value) {
				BrokerDispatcherTests.this.ran.add(value);
			}

		});
	}

	@AfterEach
	void stop() {
		if (this.dispatcher != null) {
			this.dispatcher.stop();
		}
		if (this.pool != null) {
			this.pool.stop(Duration.ofSeconds(5));
		}
		this.fixture.close();
	}

	@Test
	void aDispatchThatFailsFailsThatOfferAloneAndLaterOffersStillRun() throws Exception {
		AtomicBoolean failNext = new AtomicBoolean(true);
		start(new QueueRateLimiter() {

			@Override
			public boolean hasPermit(String queue) {
				return true;
			}

			@Override
			public void recordStart(String queue) {
				if (failNext.getAndSet(false)) {
					throw new IllegalStateException("rate limiter unreachable");
				}
			}

		});
		RecordingDelivery first = new RecordingDelivery("first");
		CompletableFuture<Void> firstSettled = this.dispatcher.offer(first).toCompletableFuture();
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> firstSettled.get(30, TimeUnit.SECONDS))
			.withStackTraceContaining("rate limiter unreachable");
		RecordingDelivery second = new RecordingDelivery("second");
		this.dispatcher.offer(second).toCompletableFuture().get(30, TimeUnit.SECONDS);
		assertThat(this.ran).containsExactly("second");
		assertThat(second.settlement).isEqualTo("complete");
		assertThat(first.settlement).isNull();
	}

	@Test
	void offersArrivingAfterStopAreHandedBackAtOnce() throws Exception {
		start(new LocalQueueRateLimiter(Map.of(), this.fixture.clock));
		this.dispatcher.stop();
		RecordingDelivery late = new RecordingDelivery("late");
		this.dispatcher.offer(late).toCompletableFuture().get(30, TimeUnit.SECONDS);
		assertThat(late.settlement).isEqualTo("requeue");
		assertThat(this.ran).isEmpty();
	}

	/**
	 * The dispatcher looks for an offer, finds none, then waits: an offer signalled between the look
	 * and the wait must end the wait, not be noticed only when it times out.
	 */
	@Test
	@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aChangeSignalledAfterTheLookEndsTheWaitAtOnce() {
		start(new LocalQueueRateLimiter(Map.of(), this.fixture.clock));
		long seen = this.pool.changes();
		this.pool.signal();
		// an hour: without the change count this waits until the test's timeout fails it
		this.pool.awaitChange(Duration.ofHours(1), seen);
		assertThat(this.pool.changes()).isGreaterThan(seen);
	}

	private void start(QueueRateLimiter rateLimiter) {
		this.pool = new WorkerPool(this.fixture.executor(), new QueueSelector(Map.of("default", 1), false, new Random()),
				Map.of(), rateLimiter, Set.of(), this.fixture.activeTasks, 1, WorkerPool.named("worker-", false));
		this.pool.start();
		this.dispatcher = new BrokerDispatcher("test", this.pool, new TaskEventListener() {
		});
		this.dispatcher.start();
	}

	/** A delivery that remembers how it was settled. */
	private final class RecordingDelivery implements Delivery {

		private final TaskMessage message;

		private volatile @Nullable String settlement;

		RecordingDelivery(String value) {
			this.message = TaskMessage.builder("id-" + value, "record", "default")
				.payload(("\"" + value + "\"").getBytes())
				.enqueuedAt(Instant.now())
				.build();
		}

		@Override
		public TaskMessage message() {
			return this.message;
		}

		@Override
		public void complete(byte @Nullable [] result) {
			this.settlement = "complete";
		}

		@Override
		public void retry(TaskMessage failed, Instant processAt) {
			this.settlement = "retry";
		}

		@Override
		public void archive(TaskMessage failed) {
			this.settlement = "archive";
		}

		@Override
		public void requeue() {
			this.settlement = "requeue";
		}

	}

}
