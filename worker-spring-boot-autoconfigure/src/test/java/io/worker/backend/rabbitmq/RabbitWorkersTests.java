package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.List;

import io.worker.WorkerInfo;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker list on RabbitMQ, in a virtual host of its own: every instance lists the servers whose
 * heartbeats are in the heartbeat stream, and a server that stops is listed no more.
 */
class RabbitWorkersTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults()
		.withPrefix("w" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	@Test
	void everyInstanceListsTheLiveServersFromTheirHeartbeats() {
		try (RabbitWorker first = worker("alpha").start(); RabbitWorker inspectorOnly = worker("alpha")) {
			try (RabbitWorker second = worker("beta").start()) {
				await().atMost(WAIT).until(() -> inspectorOnly.broker.inspector().workers().size() == 2);
				List<WorkerInfo> workers = first.broker.inspector().workers();
				assertThat(workers).hasSize(2);
				assertThat(workers).flatExtracting((worker) -> worker.queues().keySet()).contains("alpha", "beta");
				assertThat(workers).allSatisfy((worker) -> assertThat(worker.concurrency()).isEqualTo(4));
			}
			await().atMost(WAIT).until(() -> inspectorOnly.broker.inspector().workers().size() == 1);
			assertThat(inspectorOnly.broker.inspector().workers().get(0).queues()).containsKey("alpha");
		}
	}

	private RabbitWorker worker(String queue) {
		return new RabbitWorker(virtualHost.connectionFactory(), this.settings, queue, 0, new Object());
	}

}
