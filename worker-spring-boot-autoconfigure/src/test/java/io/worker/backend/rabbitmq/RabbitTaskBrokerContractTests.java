package io.worker.backend.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.worker.spi.TaskBroker;
import io.worker.spi.TaskBrokerContractTests;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The broker contract on RabbitMQ, against the real broker in a virtual host of its own (deleted
 * afterwards), each test under its own prefix.
 */
class RabbitTaskBrokerContractTests extends TaskBrokerContractTests {

	/**
	 * One prefix for the class: each prefix declares 28 delay levels (quorum queues), too many to
	 * declare again for every test; each test's own queue names keep the tests apart.
	 */
	private static final String PREFIX = "contract" + System.nanoTime();

	private static RabbitVirtualHost virtualHost;

	private static CachingConnectionFactory connectionFactory;

	@BeforeAll
	static void createVirtualHost() {
		virtualHost = RabbitVirtualHost.create();
		connectionFactory = virtualHost.connectionFactory();
	}

	@AfterAll
	static void deleteVirtualHost() {
		connectionFactory.destroy();
		virtualHost.close();
	}

	@Override
	protected TaskBroker createBroker() {
		RabbitSettings settings = RabbitSettings.defaults()
			.withPrefix(PREFIX)
			.withConfirmTimeout(Duration.ofSeconds(5));
		RabbitTaskBroker broker = new RabbitTaskBroker(connectionFactory, settings, List.of(),
				Clock.systemUTC());
		broker.afterPropertiesSet();
		return broker;
	}

	@Override
	protected Duration delayTolerance() {
		// delays are rounded up to whole seconds, then pass through the delay levels
		return Duration.ofMillis(2500);
	}

	@Override
	protected void killConsumer(TaskBroker broker) {
		virtualHost.closeAllConnections();
	}

	@Override
	protected void cleanUp(TaskBroker broker) {
		// the virtual host, and everything in it, is deleted after the class
		((RabbitTaskBroker) broker).destroy();
	}

}
