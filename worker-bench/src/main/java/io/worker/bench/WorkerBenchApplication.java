package io.worker.bench;

import io.worker.TaskHandler;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application each Worker session starts: Worker's auto-configuration and one no-op handler.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WorkerBenchApplication.BenchHandler.class)
public class WorkerBenchApplication {

	/** The task type (and its queue) every benchmark task has. */
	public static final String TASK_TYPE = "bench";

	/** The type of the tasks that warm a session up before it is measured, on the same queue. */
	public static final String WARM_UP_TYPE = "bench-warm-up";

	/** The bean name of the tracker of measured tasks. */
	static final String TRACKER = "benchTracker";

	/** The bean name of the tracker of warm-up tasks. */
	static final String WARM_UP_TRACKER = "benchWarmUpTracker";

	/** The handlers: each counts the task and does nothing else (or sleeps first, for I/O). */
	static class BenchHandler {

		private final CompletionTracker tracker;

		private final CompletionTracker warmUpTracker;

		BenchHandler(@Qualifier(TRACKER) CompletionTracker tracker,
				@Qualifier(WARM_UP_TRACKER) CompletionTracker warmUpTracker) {
			this.tracker = tracker;
			this.warmUpTracker = warmUpTracker;
		}

		@TaskHandler(value = TASK_TYPE, queue = TASK_TYPE)
		void handle(BenchPayload payload) throws InterruptedException {
			this.tracker.handle(payload.id(), payload.enqueuedNanos());
		}

		@TaskHandler(value = WARM_UP_TYPE, queue = TASK_TYPE)
		void warmUp(BenchPayload payload) {
			this.warmUpTracker.record(payload.id(), payload.enqueuedNanos());
		}

	}

}
