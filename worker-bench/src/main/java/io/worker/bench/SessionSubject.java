package io.worker.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import io.worker.bench.Figures.Latency;
import org.jspecify.annotations.Nullable;

/**
 * A subject that runs in this JVM: the workloads are written once here, over the {@link Session}
 * each subject opens, so Worker and its baselines are measured by the same code.
 */
public abstract class SessionSubject implements Subject {

	private static final int WARM_UP_TASKS = 20_000;

	/**
	 * Open a session whose consumers, once started, run tasks at {@code concurrency} and report each
	 * to {@code tracker}.
	 */
	protected abstract Session open(int concurrency, CompletionTracker tracker) throws Exception;

	/** Worker runs every workload; a raw baseline no I/O-bound one (a Lettuce consumer is a connection). */
	@Override
	public boolean supports(Workload workload) {
		return workload != Workload.DRAIN_IO || role() == Role.OURS;
	}

	@Override
	public Figures measure(Workload workload, Spec spec) throws Exception {
		return switch (workload) {
			case ENQUEUE_ONE -> enqueue(spec, 1, false);
			case ENQUEUE_EIGHT -> enqueue(spec, 8, false);
			case ENQUEUE_BATCH -> enqueue(spec, 1, true);
			case DRAIN, DRAIN_1KB, DRAIN_64KB, SCALE -> drainFigures(spec, workload.payloadBytes(), 0);
			case DRAIN_IO -> drainFigures(spec, 0, Workload.IO_MILLIS);
			case LATENCY -> latency(spec);
		};
	}

	/** Run the code paths the measurements use until the JIT has compiled them. */
	public void warmUp(int concurrency) throws Exception {
		drain(new Spec(WARM_UP_TASKS, concurrency, 0), 0);
		enqueue(new Spec(WARM_UP_TASKS, concurrency, 0), 8, false);
	}

	/**
	 * Queue {@code spec.tasks()} tasks, then drain them with consumers at {@code spec.concurrency()}.
	 * @return the tracker, read after the consumers stopped
	 * @throws IllegalStateException when a task did not run, or ran more than once
	 */
	public CompletionTracker drain(Spec spec, int payloadBytes) throws Exception {
		return runDrain(spec, payloadBytes, 0).tracker();
	}

	private Figures drainFigures(Spec spec, int payloadBytes, int handlerMillis) throws Exception {
		DrainRun run = runDrain(spec, payloadBytes, handlerMillis);
		return new Figures(run.tracker().throughput(), null, run.brokerBytesPerTask());
	}

	private DrainRun runDrain(Spec spec, int payloadBytes, int handlerMillis) throws Exception {
		CompletionTracker tracker = new CompletionTracker(spec.tasks(), handlerMillis);
		Double perTask = null;
		try (Session session = open(spec.concurrency(), tracker)) {
			OptionalLong before = session.brokerMemory();
			String pad = "x".repeat(payloadBytes);
			List<BenchPayload> batch = new ArrayList<>(Workload.BATCH);
			for (int id = 0; id < spec.tasks(); id++) {
				batch.add(new BenchPayload(id, 0, pad));
				if (batch.size() == Workload.BATCH || id == spec.tasks() - 1) {
					session.enqueueAll(batch);
					batch.clear();
				}
			}
			OptionalLong after = session.brokerMemory();
			if (before.isPresent() && after.isPresent()) {
				perTask = (double) (after.getAsLong() - before.getAsLong()) / spec.tasks();
			}
			session.startConsumers();
			tracker.await(timeout(spec.tasks()));
		}
		verifyExactlyOnce(tracker);
		return new DrainRun(tracker, perTask);
	}

	private Figures enqueue(Spec spec, int producers, boolean batched) throws Exception {
		List<BenchPayload> tasks = new ArrayList<>(spec.tasks());
		for (int id = 0; id < spec.tasks(); id++) {
			tasks.add(new BenchPayload(id, 0, ""));
		}
		try (Session session = open(spec.concurrency(), new CompletionTracker(spec.tasks()))) {
			ExecutorService pool = Executors.newFixedThreadPool(producers);
			try {
				long start = System.nanoTime();
				List<Future<?>> slices = new ArrayList<>();
				int size = (spec.tasks() + producers - 1) / producers;
				for (int from = 0; from < spec.tasks(); from += size) {
					List<BenchPayload> slice = tasks.subList(from, Math.min(spec.tasks(), from + size));
					slices.add(pool.submit(() -> produce(session, slice, batched)));
				}
				for (Future<?> slice : slices) {
					slice.get();
				}
				return Figures.throughput(spec.tasks() * 1e9 / (System.nanoTime() - start));
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	private static @Nullable Void produce(Session session, List<BenchPayload> slice, boolean batched)
			throws Exception {
		if (batched) {
			for (int from = 0; from < slice.size(); from += Workload.BATCH) {
				session.enqueueAll(slice.subList(from, Math.min(slice.size(), from + Workload.BATCH)));
			}
		}
		else {
			for (BenchPayload task : slice) {
				session.enqueue(task);
			}
		}
		return null;
	}

	private Figures latency(Spec spec) throws Exception {
		CompletionTracker tracker = new CompletionTracker(spec.tasks());
		try (Session session = open(spec.concurrency(), tracker)) {
			session.startConsumers();
			long interval = 1_000_000_000L / spec.rate();
			long start = System.nanoTime();
			for (int id = 0; id < spec.tasks(); id++) {
				// a fixed schedule: a late enqueue is followed at once by the next, as an open load would
				long due = start + id * interval;
				for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
					LockSupport.parkNanos(wait);
				}
				session.enqueue(new BenchPayload(id, System.nanoTime(), ""));
			}
			tracker.await(timeout(spec.tasks()));
		}
		verifyExactlyOnce(tracker);
		return new Figures(tracker.throughput(), Latency.ofNanos(tracker.latencies()), null);
	}

	private static Duration timeout(int tasks) {
		return Duration.ofSeconds(60 + tasks / 500);
	}

	private void verifyExactlyOnce(CompletionTracker tracker) {
		if (tracker.distinct() != tracker.expected() || tracker.duplicates() != 0) {
			throw new IllegalStateException(name() + ": " + tracker.distinct() + " of " + tracker.expected()
					+ " tasks ran, " + tracker.duplicates() + " ran more than once");
		}
	}

	private record DrainRun(CompletionTracker tracker, @Nullable Double brokerBytesPerTask) {

	}

}
