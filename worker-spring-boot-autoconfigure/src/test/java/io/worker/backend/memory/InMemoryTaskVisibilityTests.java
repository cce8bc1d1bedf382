package io.worker.backend.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.spi.Delivery;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task kept after completion is found by the inspector at every moment of its life, including
 * while it is archived, run again from the archive and completed: the dashboard's task page of an
 * existing task never reads "no such task" on this backend.
 */
class InMemoryTaskVisibilityTests {

	private static final int ROUNDS = 2_000;

	private final InMemoryTaskStore store = new InMemoryTaskStore(Clock.systemUTC(), Duration.ofMinutes(1), 100,
			Duration.ofDays(7), new TaskRecorder(10));

	private final TaskInspector inspector = this.store.inspector();

	@Test
	void aTaskRunAgainFromTheArchiveIsFoundAtEveryReadUntilItCompletes() throws Exception {
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger current = new AtomicInteger(-1);
		AtomicInteger reads = new AtomicInteger();
		CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
			while (!done.get()) {
				int round = current.get();
				if (round >= 0) {
					reads.incrementAndGet();
					if (this.inspector.task("visible", "task-" + round).isEmpty()) {
						return "task-" + round + " was not found";
					}
				}
			}
			return null;
		});
		try {
			for (int round = 0; round < ROUNDS; round++) {
				this.store.enqueue(List.of(new EnqueueRequest(TaskMessage.builder("task-" + round, "t", "visible")
					.payload("{}".getBytes())
					.retention(Duration.ofHours(1))
					.enqueuedAt(Clock.systemUTC().instant())
					.build(), null)));
				current.set(round);
				Delivery first = this.store.dequeue(List.of("visible"), Duration.ZERO);
				first.archive(first.message().withError("failing on purpose", Clock.systemUTC().instant()));
				this.inspector.runTask("visible", "task-" + round);
				Delivery again = this.store.dequeue(List.of("visible"), Duration.ZERO);
				again.complete(null);
				this.store.deleteExpired(Clock.systemUTC().instant());
				assertThat(this.inspector.task("visible", "task-" + round)).get()
					.extracting((task) -> task.state())
					.isEqualTo(TaskState.COMPLETED);
			}
		}
		finally {
			done.set(true);
		}
		assertThat(reader.get()).isNull();
		assertThat(reads.get()).isPositive();
	}

}
