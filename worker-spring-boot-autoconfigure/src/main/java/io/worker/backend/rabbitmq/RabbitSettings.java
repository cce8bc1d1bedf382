package io.worker.backend.rabbitmq;

import java.time.Duration;

/**
 * How the RabbitMQ backend lays out and uses its objects.
 *
 * @param prefix the prefix of every exchange and queue name
 * @param queueType the type of the Worker queues and the delay levels' queues
 * @param confirmTimeout how long a publish waits for the broker's confirm
 * @param deliveryLimit the quorum queues' {@code x-delivery-limit}: past it the broker moves the
 *     message to the archive instead of delivering it again
 * @param archiveMaxSize the most tasks an archive lists (its stream's byte cap is derived from it)
 * @param archiveMaxAge how long an archive keeps a task
 * @param consumerTimeout how long a delivery may stay unacknowledged: on RabbitMQ 3.12 and later
 *     Worker's consumers ask for it ({@code x-consumer-timeout}); before, it must be the broker's
 *     {@code consumer_timeout}
 */
public record RabbitSettings(String prefix, QueueType queueType, Duration confirmTimeout,
		int deliveryLimit, int archiveMaxSize, Duration archiveMaxAge, Duration consumerTimeout) {

	/** The defaults: prefix {@code worker}, quorum queues, 10s confirms, 30 min consumer timeout. */
	public static RabbitSettings defaults() {
		return new RabbitSettings("worker", QueueType.QUORUM, Duration.ofSeconds(10), 1000, 10_000,
				Duration.ofDays(90), Duration.ofMinutes(30));
	}

	public RabbitSettings withPrefix(String prefix) {
		return new RabbitSettings(prefix, this.queueType, this.confirmTimeout, this.deliveryLimit,
				this.archiveMaxSize, this.archiveMaxAge, this.consumerTimeout);
	}

	public RabbitSettings withQueueType(QueueType queueType) {
		return new RabbitSettings(this.prefix, queueType, this.confirmTimeout, this.deliveryLimit,
				this.archiveMaxSize, this.archiveMaxAge, this.consumerTimeout);
	}

	public RabbitSettings withConfirmTimeout(Duration confirmTimeout) {
		return new RabbitSettings(this.prefix, this.queueType, confirmTimeout, this.deliveryLimit,
				this.archiveMaxSize, this.archiveMaxAge, this.consumerTimeout);
	}

	/** The type of a RabbitMQ queue holding tasks. */
	public enum QueueType {

		/** Replicated quorum queues, with a delivery count and at-least-once dead-lettering. */
		QUORUM,

		/** Classic durable queues (no delivery count: a redelivery counts as a second delivery). */
		CLASSIC

	}

}
