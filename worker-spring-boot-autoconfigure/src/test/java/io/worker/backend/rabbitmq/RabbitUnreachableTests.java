package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.worker.TaskEnqueueException;
import io.worker.spi.BrokerContext;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The broker with no RabbitMQ to reach (a local port nobody listens on): startup goes on, enqueues
 * are refused with {@link TaskEnqueueException}, and the health check fails.
 */
class RabbitUnreachableTests {

	private final CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", freePort());

	private final RabbitTaskBroker broker = new RabbitTaskBroker(this.factory,
			RabbitSettings.defaults().withConfirmTimeout(Duration.ofSeconds(2)), List.of("default"), Clock.systemUTC());

	@AfterEach
	void close() {
		this.broker.destroy();
		this.factory.destroy();
	}

	@Test
	void startupGoesOnAndEnqueuesAreRefused() {
		this.broker.afterPropertiesSet();
		this.broker.start(new BrokerContext("w1", Map.of("default", 1), false, Map.of(), Map.of(), 2,
				Duration.ofSeconds(1)), (delivery) -> new CompletableFuture<>());

		List<EnqueueResult> results = this.broker
			.enqueue(List.of(new EnqueueRequest(RabbitTaskBrokerTests.task("default", "t1"), null)));

		assertThat(results.get(0).failure()).isInstanceOf(TaskEnqueueException.class)
			.hasMessageContaining("task 't1' of queue 'default'");
		assertThatException().isThrownBy(this.broker::ping);
		this.broker.stopConsuming();
		this.broker.stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
