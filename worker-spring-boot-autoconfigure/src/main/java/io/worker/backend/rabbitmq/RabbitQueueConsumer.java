package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

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
 * the client's thread, which returns at once. A message that is not a readable task is offered as a
 * {@linkplain io.worker.spi.Delivery#malformed() malformed} delivery, which the runtime counts and
 * archives with the reason, so that it never stops the consumer.
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

	private final Duration consumerTimeout;

	private final Set<RabbitDelivery> unsettled = ConcurrentHashMap.newKeySet();

	RabbitQueueConsumer(String queue, int prefetch, String consumerTag, ConnectionFactory connectionFactory,
			ScheduledExecutorService scheduler, RabbitTopology topology, RabbitNames names, QueueType queueType,
			RabbitPublisher publisher, DeliverySink sink, Clock clock, Duration consumerTimeout) {
		this.consumerTimeout = consumerTimeout;
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
		return channel.basicConsume(this.names.queue(this.queue), false, this.consumerTag, false, false,
				arguments(RabbitServerVersion.of(channel.getConnection().getServerProperties()), this.consumerTimeout),
				new DefaultConsumer(channel) {

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

	/** The consumer's own acknowledgement timeout where the broker takes one. */
	static Map<String, Object> arguments(RabbitServerVersion version, Duration consumerTimeout) {
		return version.perConsumerTimeout() ? Map.of("x-consumer-timeout", consumerTimeout.toMillis()) : Map.of();
	}

	private void deliver(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
		Map<String, Object> headers = (properties.getHeaders() != null) ? properties.getHeaders() : Map.of();
		TaskMessage message;
		Instant readyAt;
		int deliveryCount;
		try {
			RabbitTaskCodec.Fields task = RabbitTaskCodec.read(text(headers), body);
			message = TaskEnvelope.read(task.fields(), task.payload());
			String processAt = task.fields().get(RabbitRouter.PROCESS_AT);
			readyAt = (processAt != null) ? Instant.parse(processAt) : message.enqueuedAt();
			deliveryCount = deliveryCount(headers, task.fields(), envelope);
		}
		catch (MalformedTaskException | IllegalArgumentException | DateTimeParseException ex) {
			offer(unreadable(channel, envelope, properties, headers, body, String.valueOf(ex.getMessage())));
			return;
		}
		offer(new RabbitDelivery(channel, envelope.getDeliveryTag(), message, readyAt, deliveryCount, this.publisher,
				this.router, this.clock));
	}

	/**
	 * The deliveries taken and not settled yet: running, or waiting for a free worker thread. Those
	 * whose channel closed are RabbitMQ's again, and forgotten.
	 */
	int unsettled() {
		this.unsettled.removeIf((delivery) -> !delivery.extendLease());
		return this.unsettled.size();
	}

	private void offer(RabbitDelivery delivery) {
		this.unsettled.add(delivery);
		delivery.onSettled(() -> this.unsettled.remove(delivery));
		this.sink.offer(delivery).whenComplete((ignored, failure) -> {
			this.unsettled.remove(delivery);
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
	private int deliveryCount(Map<String, Object> headers, Map<String, String> fields, Envelope envelope) {
		int earlier = Integer.parseInt(fields.getOrDefault(RabbitRouter.EARLIER_DELIVERIES, "0"));
		Object brokerCount = headers.get("x-delivery-count");
		if (this.queueType == QueueType.QUORUM && brokerCount instanceof Number count) {
			return 1 + earlier + count.intValue();
		}
		return 1 + earlier + (envelope.isRedeliver() ? 1 : 0);
	}

	/**
	 * A message that is not a readable task, for the runtime to archive and count: what could be read
	 * of it (its id, else its message id, else its delivery), and the message as it came.
	 */
	private RabbitDelivery unreadable(Channel channel, Envelope envelope, AMQP.BasicProperties properties,
			Map<String, Object> headers, byte[] body, String problem) {
		Map<String, String> fields = readableFields(headers, body);
		String id = shortText(fields.get(TaskEnvelope.ID));
		if (id == null) {
			id = (properties.getMessageId() != null) ? shortText(properties.getMessageId()) : null;
		}
		String type = shortText(fields.get(TaskEnvelope.TYPE));
		TaskMessage placeholder = TaskMessage
			.builder((id != null) ? id : "unreadable-" + UUID.randomUUID(), (type != null) ? type : "unknown",
					this.queue)
			.payload(body)
			.enqueuedAt(this.clock.instant())
			.build();
		return new RabbitDelivery(channel, envelope.getDeliveryTag(), placeholder,
				new RabbitDelivery.Unreadable("not a Worker task: " + problem, headers, body), this.publisher,
				this.router, this.clock);
	}

	/** The task fields of a message that is not a readable task, as far as its format can be read. */
	private static Map<String, String> readableFields(Map<String, Object> headers, byte[] body) {
		Map<String, String> text = text(headers);
		try {
			return RabbitTaskCodec.read(text, body).fields();
		}
		catch (MalformedTaskException ex) {
			return text;
		}
	}

	/** A header's value when it is text short enough to name a task in a log line or a listing. */
	private static @Nullable String shortText(@Nullable Object value) {
		boolean text = value instanceof LongString || value instanceof String;
		return (text && !value.toString().isEmpty() && value.toString().length() <= TaskEnvelope.MAX_NAME_LENGTH)
				? value.toString() : null;
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
