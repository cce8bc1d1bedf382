package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import io.worker.backend.rabbitmq.RabbitSettings.QueueType;
import io.worker.spi.DeliverySink;
import io.worker.spi.MalformedTaskException;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Consumes one Worker queue on a channel of its own, with manual acknowledgements and the queue's
 * prefetch: each message is read into a {@link RabbitDelivery} and offered to the runtime's sink on
 * the client's thread, which returns at once. A message that is not a readable task is moved to the
 * queue's archive with the reason, then acknowledged, so that it never stops the consumer.
 */
final class RabbitQueueConsumer {

	private static final Logger logger = LoggerFactory.getLogger(RabbitQueueConsumer.class);

	private final String queue;

	private final int prefetch;

	private final String consumerTag;

	private final RabbitNames names;

	private final QueueType queueType;

	private final RabbitPublisher publisher;

	private final RabbitRouter router;

	private final DeliverySink sink;

	private final Clock clock;

	private final RabbitTopology topology;

	private final RabbitSubscription subscription;

	RabbitQueueConsumer(String queue, int prefetch, String consumerTag, ConnectionFactory connectionFactory,
			ScheduledExecutorService scheduler, RabbitTopology topology, RabbitNames names, QueueType queueType,
			RabbitPublisher publisher, DeliverySink sink, Clock clock) {
		this.topology = topology;
		this.queue = queue;
		this.prefetch = prefetch;
		this.consumerTag = consumerTag;
		this.names = names;
		this.queueType = queueType;
		this.publisher = publisher;
		this.router = new RabbitRouter(names);
		this.sink = sink;
		this.clock = clock;
		this.subscription = new RabbitSubscription("queue '" + queue + "'", connectionFactory, scheduler,
				this::subscribe);
	}

	void start() {
		this.subscription.start();
	}

	/** The queue was paused: take no deliveries until {@link #resume()}; those taken stay settle-able. */
	void pause() {
		this.subscription.pause();
	}

	void resume() {
		this.subscription.resume();
	}

	/** Stop taking deliveries; those taken stay settle-able. */
	void stopConsuming() {
		this.subscription.cancel();
	}

	/** Close the channel: RabbitMQ delivers what is still unacknowledged again. */
	void close() {
		this.subscription.close();
	}

	private String subscribe(Channel channel) throws IOException {
		// declared first: RabbitMQ may have been unreachable at startup, or restarted without its queues
		this.topology.declare(List.of(this.queue));
		channel.basicQos(this.prefetch, false);
		return channel.basicConsume(this.names.queue(this.queue), false, this.consumerTag, new DefaultConsumer(channel) {

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
				deliver(channel, envelope, properties, body);
			}

			@Override
			public void handleCancel(String tag) {
				logger.warn("RabbitMQ cancelled the consumer of queue '{}' (was it deleted?); no more of its tasks "
						+ "are delivered to this instance until it restarts", RabbitQueueConsumer.this.queue);
				RabbitQueueConsumer.this.topology.forget(RabbitQueueConsumer.this.queue);
			}

		});
	}

	private void deliver(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
		Map<String, Object> headers = (properties.getHeaders() != null) ? properties.getHeaders() : Map.of();
		TaskMessage message;
		Instant readyAt;
		int deliveryCount;
		try {
			Map<String, String> text = text(headers);
			message = TaskEnvelope.read(text, body);
			String processAt = text.get(RabbitRouter.PROCESS_AT);
			readyAt = (processAt != null) ? Instant.parse(processAt) : message.enqueuedAt();
			deliveryCount = deliveryCount(headers, text, envelope);
		}
		catch (MalformedTaskException | IllegalArgumentException | DateTimeParseException ex) {
			archiveGarbage(channel, envelope.getDeliveryTag(), headers, body, ex.getMessage());
			return;
		}
		RabbitDelivery delivery = new RabbitDelivery(channel, envelope.getDeliveryTag(), message, readyAt,
				deliveryCount, this.publisher, this.router, this.clock);
		this.sink.offer(delivery).whenComplete((ignored, failure) -> {
			if (failure != null) {
				delivery.abandoned(failure);
			}
		});
	}

	/**
	 * The deliveries of this message so far, this one included: the quorum queue's count of earlier
	 * deliveries ({@code x-delivery-count}), plus those lost before it was handed back. A classic queue
	 * keeps no count: a redelivered message counts as delivered twice.
	 */
	private int deliveryCount(Map<String, Object> headers, Map<String, String> text, Envelope envelope) {
		int earlier = Integer.parseInt(text.getOrDefault(RabbitRouter.EARLIER_DELIVERIES, "0"));
		Object brokerCount = headers.get("x-delivery-count");
		if (this.queueType == QueueType.QUORUM && brokerCount instanceof Number count) {
			return 1 + earlier + count.intValue();
		}
		return 1 + earlier + (envelope.isRedeliver() ? 1 : 0);
	}

	private void archiveGarbage(Channel channel, long deliveryTag, Map<String, Object> headers, byte[] body,
			@Nullable String problem) {
		String reason = "not a Worker task: " + problem;
		logger.warn("A message in queue '{}' is {}; moving it to the archive", this.queue, reason);
		this.publisher.publish(this.router.garbage(this.queue, headers, body, reason, this.clock.instant()))
			.orTimeout(this.publisher.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((ignored, failure) -> {
				try {
					if (failure == null) {
						channel.basicAck(deliveryTag, false);
					}
					else {
						logger.warn("Could not archive a message of queue '{}' ({}); returning it", this.queue,
								failure.toString());
						channel.basicNack(deliveryTag, false, true);
					}
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("Could not settle a message of queue '{}': {}", this.queue, ex.toString());
				}
			});
	}

	/** The headers whose values are text or numbers, as text. */
	static Map<String, String> text(Map<String, Object> headers) {
		Map<String, String> text = new LinkedHashMap<>();
		headers.forEach((name, value) -> {
			if (value instanceof LongString || value instanceof String || value instanceof Number) {
				text.put(name, value.toString());
			}
		});
		return text;
	}

}
