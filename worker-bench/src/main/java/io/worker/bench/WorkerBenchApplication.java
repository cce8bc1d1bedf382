package io.worker.bench;

import io.worker.TaskHandler;

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

	/** The handler: counts the task and does nothing else. */
	static class BenchHandler {

		private final CompletionTracker tracker;

		BenchHandler(CompletionTracker tracker) {
			this.tracker = tracker;
		}

		@TaskHandler(value = TASK_TYPE, queue = TASK_TYPE)
		void handle(BenchPayload payload) {
			this.tracker.record(payload.id(), payload.enqueuedNanos());
		}

	}

}
