package io.worker.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.worker.spi.BrokerContext;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * The RabbitMQ backend's raw baseline, with Spring AMQP alone and Worker's guarantee: one quorum
 * queue; persistent, {@code mandatory} messages published on a confirm channel, each enqueue
 * returning once the broker confirmed and failing when a message came back unroutable (a batch:
 * published in one go, its confirms awaited together); consumers with manual
 * acknowledgement, acking each message after its handler ran, with as many unacknowledged
 * messages in flight as Worker allows.
 */
public final class RabbitBaseline extends SessionSubject {

	private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;

	private final BenchRabbit rabbit;

	public RabbitBaseline(BenchRabbit rabbit) {
		this.rabbit = rabbit;
	}

	@Override
	public String name() {
		return "Spring AMQP, confirms + manual ack";
	}

	@Override
	public String backend() {
		return "rabbitmq";
	}

	@Override
	public Role role() {
		return Role.BASELINE;
	}

	@Override
	protected Session open(int concurrency, CompletionTracker tracker) {
		return new RabbitSession(concurrency, tracker);
	}

	private final class RabbitSession implements Session {

		private final String queue = "bench-raw-" + UUID.randomUUID();

		private final CachingConnectionFactory connectionFactory = RabbitBaseline.this.rabbit.newConnectionFactory();

		private final RabbitTemplate template;

		private final SimpleMessageListenerContainer container;

		/** Messages the broker returned as unroutable; Worker refuses such a task, so the baseline fails too. */
		private final AtomicLong returned = new AtomicLong();

		RabbitSession(int concurrency, CompletionTracker tracker) {
			this.connectionFactory.setPublisherConfirmType(ConfirmType.SIMPLE);
			this.connectionFactory.setPublisherReturns(true);
			// one channel per producer thread and per consumer, all cached
			this.connectionFactory.setChannelCacheSize(Math.max(25, concurrency + 8));
			new RabbitAdmin(this.connectionFactory).declareQueue(QueueBuilder.durable(this.queue).quorum().build());
			this.template = new RabbitTemplate(this.connectionFactory);
			this.template.setMandatory(true);
			this.template.setReturnsCallback((message) -> this.returned.incrementAndGet());
			this.container = new SimpleMessageListenerContainer(this.connectionFactory);
			this.container.setQueueNames(this.queue);
			this.container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
			this.container.setConcurrentConsumers(concurrency);
			// the same in-flight window as Worker's one channel (BrokerContext.prefetch), split across
			// the consumers: Spring AMQP's default of 250 each would push a whole drain into the
			// client before the first handler runs, and measure the network alone
			int window = concurrency + Math.max(concurrency, BrokerContext.MIN_BUFFER);
			this.container.setPrefetchCount((window + concurrency - 1) / concurrency);
			this.container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
				BenchPayload payload = BenchPayload.decode(new String(message.getBody(), StandardCharsets.UTF_8));
				tracker.record(payload.id(), payload.enqueuedNanos());
				channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
			});
		}

		@Override
		public void enqueue(BenchPayload task) {
			publish(List.of(task));
		}

		@Override
		public void enqueueAll(List<BenchPayload> tasks) {
			publish(tasks);
		}

		/**
		 * The broker sends a return before the confirm of its message; Spring AMQP may run the returns
		 * callback on another thread, so a late one fails the next publish instead. None happens in the
		 * benchmark: this is the price of the guarantee, paid as Worker pays it.
		 */
		private void publish(List<BenchPayload> tasks) {
			long returnedBefore = this.returned.get();
			this.template.invoke((operations) -> {
				for (BenchPayload task : tasks) {
					operations.send("", this.queue, message(task));
				}
				operations.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
				return null;
			});
			if (this.returned.get() != returnedBefore) {
				throw new AmqpException("RabbitMQ returned a message of the batch as unroutable");
			}
		}

		private static Message message(BenchPayload task) {
			return MessageBuilder.withBody(task.encode().getBytes(StandardCharsets.UTF_8))
				.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
				.build();
		}

		@Override
		public void startConsumers() {
			this.container.start();
		}

		@Override
		public void close() {
			this.container.stop();
			RabbitBaseline.this.rabbit.deleteQueues(this.queue);
			this.connectionFactory.destroy();
		}

	}

}
