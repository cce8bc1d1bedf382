package io.worker.testsupport.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.worker.testsupport.TestRabbit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.fail;

/**
 * A virtual host of its own on the shared test RabbitMQ ({@link TestRabbit}), created with
 * {@code rabbitmqctl} and deleted with everything in it on {@link #close()}: tests never touch the
 * default virtual host. Tests fail, never skip, when RabbitMQ or {@code rabbitmqctl} is not there.
 * <p>
 * A test class shares one: {@code @RegisterExtension static final RabbitVirtualHost virtualHost =
 * RabbitVirtualHost.perTestClass();} creates it before the class's tests and deletes it after them.
 */
public final class RabbitVirtualHost implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

	private final String name = "worker-test-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<CachingConnectionFactory> factories = new ArrayList<>();

	private RabbitVirtualHost() {
	}

	/** Create a virtual host and check that it can be reached. */
	public static RabbitVirtualHost create() {
		RabbitVirtualHost virtualHost = new RabbitVirtualHost();
		virtualHost.add();
		return virtualHost;
	}

	/** A virtual host created before a test class's tests and deleted after them, as an extension. */
	public static RabbitVirtualHost perTestClass() {
		return new RabbitVirtualHost();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		add();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	private void add() {
		TestRabbit.rabbitmqctl("add_vhost", this.name);
		allowAccess();
		try {
			connectionFactory().createConnection().close();
		}
		catch (RuntimeException ex) {
			close();
			fail("RabbitMQ at " + TestRabbit.address() + " takes no connection to virtual host " + this.name + ": "
					+ ex.getMessage(), ex);
		}
	}

	public String name() {
		return this.name;
	}

	/** A new connection factory on this virtual host, destroyed with it. */
	public CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory factory = TestRabbit.connectionFactory(TestRabbit.address(), this.name);
		synchronized (this.factories) {
			this.factories.add(factory);
		}
		return factory;
	}

	/** Close every client connection to this virtual host, from the broker's side. */
	public void closeAllConnections() {
		TestRabbit.rabbitmqctl("close_all_connections", "--vhost", this.name, "closed by a Worker test");
	}

	/** Take the test user's permissions on this virtual host away: connecting again is refused. */
	public void refuseAccess() {
		TestRabbit.rabbitmqctl("clear_permissions", "-p", this.name, TestRabbit.USERNAME);
	}

	/** Give the test user back every permission on this virtual host. */
	public void allowAccess() {
		TestRabbit.rabbitmqctl("set_permissions", "-p", this.name, TestRabbit.USERNAME, ".*", ".*", ".*");
	}

	/** Delete a queue of this virtual host. */
	public void deleteQueue(String queue) {
		TestRabbit.rabbitmqctl("delete_queue", "-p", this.name, queue);
	}

	/** Publish a message straight to a queue through the default exchange, without confirms. */
	public void publish(String queue, Map<String, Object> headers, String body) {
		withChannel((channel) -> {
			channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).headers(headers).build(),
					body.getBytes(StandardCharsets.UTF_8));
			return null;
		});
	}

	/** The ready messages of a queue. */
	public long messageCount(String queue) {
		return withChannel((channel) -> (long) channel.queueDeclarePassive(queue).getMessageCount());
	}

	/** Take the next message of a queue (acknowledged), or {@code null} when it is empty. */
	public @Nullable GetResponse take(String queue) {
		return withChannel((channel) -> channel.basicGet(queue, true));
	}

	/** Run something on a fresh channel of this virtual host. */
	public <T> T withChannel(ChannelCallback<T> callback) {
		CachingConnectionFactory factory = TestRabbit.connectionFactory(TestRabbit.address(), this.name);
		try {
			Channel channel = factory.createConnection().getDelegate().createChannel();
			try {
				return callback.run(channel);
			}
			finally {
				if (channel.isOpen()) {
					channel.close();
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			factory.destroy();
		}
	}

	/** Destroy the connection factories and delete the virtual host with everything in it. */
	@Override
	public void close() {
		synchronized (this.factories) {
			this.factories.forEach(CachingConnectionFactory::destroy);
			this.factories.clear();
		}
		TestRabbit.rabbitmqctl("delete_vhost", this.name);
	}

	/** Something to do on a channel. */
	@FunctionalInterface
	public interface ChannelCallback<T> {

		T run(Channel channel) throws IOException;

	}

}
