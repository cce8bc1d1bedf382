package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Carries cancellations to every instance: a task id published on the cancel fanout exchange reaches
 * each instance's exclusive, auto-deleted queue bound to it, whose consumer tells the local listeners.
 */
final class RabbitCancelBroadcast {

	private static final Logger logger = LoggerFactory.getLogger(RabbitCancelBroadcast.class);

	private final RabbitNames names;

	private final RabbitPublisher publisher;

	private final RabbitSubscription subscription;

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	private boolean started;

	private final RabbitTopology topology;

	RabbitCancelBroadcast(RabbitNames names, RabbitTopology topology, ConnectionFactory connectionFactory,
			ScheduledExecutorService scheduler, RabbitPublisher publisher) {
		this.names = names;
		this.topology = topology;
		this.publisher = publisher;
		this.subscription = new RabbitSubscription("cancellations", connectionFactory, scheduler, this::subscribe);
	}

	/** Add a listener; the first one starts listening. */
	synchronized void listen(Consumer<String> listener) {
		this.listeners.add(listener);
		if (!this.started) {
			this.subscription.start();
			this.started = true;
		}
	}

	/** Tell every instance to cancel the task; returns once RabbitMQ confirmed the broadcast. */
	void cancel(String taskId) {
		this.publisher.await(this.publisher.publish(new Outgoing(this.names.cancelExchange(), "", false, Map.of(),
				taskId.getBytes(StandardCharsets.UTF_8), null, "worker:cancel", RabbitPublisher.JSON)));
	}

	synchronized void close() {
		this.subscription.close();
		this.started = false;
	}

	private String subscribe(Channel channel) throws IOException {
		this.topology.declare(List.of());
		String queue = channel.queueDeclare("", false, true, true, Map.of()).getQueue();
		channel.queueBind(queue, this.names.cancelExchange(), "");
		return channel.basicConsume(queue, true, new DefaultConsumer(channel) {

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
				String taskId = new String(body, StandardCharsets.UTF_8);
				for (Consumer<String> listener : RabbitCancelBroadcast.this.listeners) {
					try {
						listener.accept(taskId);
					}
					catch (RuntimeException ex) {
						logger.warn("A cancel listener failed for task {}: {}", taskId, ex.toString());
					}
				}
			}

		});
	}

}
