package io.worker.bench;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The in-memory backend's raw baseline: a plain {@link ThreadPoolExecutor} over an unbounded queue,
 * with the same Jackson write of each payload at the enqueue and read before the handler that Worker
 * does. The same guarantee as the in-memory backend (none past the process), without its bookkeeping.
 * (Without the JSON a no-op drain measured millions of tasks per second: a baseline of nothing.)
 */
public final class ExecutorBaseline extends SessionSubject {

	@Override
	public String name() {
		return "ThreadPoolExecutor + Jackson";
	}

	@Override
	public String backend() {
		return "memory";
	}

	@Override
	public Role role() {
		return Role.BASELINE;
	}

	@Override
	protected Session open(int concurrency, CompletionTracker tracker) {
		return new ExecutorSession(concurrency, tracker);
	}

	private static final class ExecutorSession implements Session {

		private static final JsonMapper json = JsonMapper.builder().build();

		private static final ObjectWriter writer = json.writerFor(BenchPayload.class);

		private static final ObjectReader reader = json.readerFor(BenchPayload.class);

		private final CompletionTracker tracker;

		private final ThreadPoolExecutor executor;

		ExecutorSession(int concurrency, CompletionTracker tracker) {
			this.tracker = tracker;
			this.executor = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS,
					new LinkedBlockingQueue<>());
		}

		@Override
		public void enqueue(BenchPayload task) {
			byte[] payload = writer.writeValueAsBytes(task);
			// before the core threads start, execute() would start one per task: queue as a broker would
			if (this.executor.getPoolSize() == 0) {
				this.executor.getQueue().add(() -> run(payload));
			}
			else {
				this.executor.execute(() -> run(payload));
			}
		}

		@Override
		public void enqueueAll(List<BenchPayload> tasks) {
			tasks.forEach(this::enqueue);
		}

		@Override
		public void startConsumers() {
			this.executor.prestartAllCoreThreads();
		}

		private void run(byte[] payload) {
			BenchPayload task = reader.readValue(payload);
			this.tracker.record(task.id(), task.enqueuedNanos());
		}

		@Override
		public void close() throws InterruptedException {
			this.executor.shutdownNow();
			this.executor.awaitTermination(30, TimeUnit.SECONDS);
		}

	}

}
