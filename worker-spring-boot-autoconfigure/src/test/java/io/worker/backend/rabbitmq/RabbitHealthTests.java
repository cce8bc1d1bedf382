package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.worker.Task;
import io.worker.TaskHandler;
import io.worker.health.WorkerHealthIndicator;
import io.worker.runtime.WorkerStats;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health on RabbitMQ, in a virtual host of its own: DOWN while the connection is lost and cannot be
 * opened again (the test user's permissions are taken away, then every connection closed), UP again
 * once it can, and every task enqueued before the loss runs.
 */
class RabbitHealthTests {

	private static final Duration WAIT = Duration.ofSeconds(90);

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults()
		.withPrefix("h" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final Handlers handlers = new Handlers();

	@Test
	void healthIsDownWhileTheConnectionIsLostAndUpOnceItIsBackWithNoTaskLost() {
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), this.settings, "healthy", 3,
				this.handlers).start()) {
			WorkerHealthIndicator health = new WorkerHealthIndicator(worker.broker, worker.server, new WorkerStats(),
					null, List::of);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			worker.client.enqueueAll(IntStream.range(0, 200).mapToObj((i) -> Task.of("test:ok", "t" + i)).toList());

			virtualHost.refuseAccess();
			try {
				virtualHost.closeAllConnections();
				await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.DOWN));
			}
			finally {
				virtualHost.allowAccess();
			}

			await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.UP));
			await().atMost(WAIT).until(() -> this.handlers.done.size() == 200);
			worker.client.enqueue(Task.of("test:ok", "after"));
			await().atMost(WAIT).until(() -> this.handlers.done.contains("after"));
		}
	}

	/** Records each task run. */
	static final class Handlers {

		final Set<String> done = ConcurrentHashMap.newKeySet();

		@TaskHandler("test:ok")
		public void ok(String payload) {
			this.done.add(payload);
		}

	}

}
