package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.Task;
import io.worker.TaskHandler;
import io.worker.TaskState;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pausing a queue on RabbitMQ, in a virtual host of its own: a pause made through one instance holds
 * on another already running and on one that starts later, until a resume from any instance.
 */
class RabbitPauseTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults()
		.withPrefix("p" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final Handlers handlers = new Handlers();

	@Test
	void aPauseHoldsOnEveryInstanceIncludingOneStartedLaterUntilResumed() {
		try (RabbitWorker running = worker().start()) {
			running.client.enqueue(Task.of("test:ok", "before"));
			await().atMost(WAIT).until(() -> this.handlers.done.contains("before"));

			running.broker.inspector().pauseQueue("shared");
			try (RabbitWorker later = worker().start()) {
				assertThat(later.broker.inspector().queue("shared").paused()).isTrue();
				later.client.enqueue(Task.of("test:ok", "held"));
				await().atMost(WAIT).until(() -> later.broker.inspector().queue("shared").size(TaskState.PENDING) == 1);
				await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !this.handlers.done.contains("held"));

				later.broker.inspector().resumeQueue("shared");
				await().atMost(WAIT).until(() -> this.handlers.done.contains("held"));
				await().atMost(WAIT).until(() -> !running.broker.inspector().queue("shared").paused());
			}
			// the running instance consumes again, now alone
			running.client.enqueue(Task.of("test:ok", "after"));
			await().atMost(WAIT).until(() -> this.handlers.done.contains("after"));
		}
		assertThat(this.handlers.done).containsExactly("before", "held", "after");
	}

	private RabbitWorker worker() {
		return new RabbitWorker(virtualHost.connectionFactory(), this.settings, "shared", 0, this.handlers);
	}

	/** Records each task run. */
	static final class Handlers {

		final List<String> done = new CopyOnWriteArrayList<>();

		@TaskHandler("test:ok")
		public void ok(String payload) {
			this.done.add(payload);
		}

	}

}
