package io.worker.autoconfigure.rabbitmq;

import java.time.Duration;

import io.worker.backend.rabbitmq.RabbitSettings.QueueType;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the RabbitMQ backend. The connection itself is Spring Boot's
 * ({@code spring.rabbitmq.*}).
 */
@ConfigurationProperties("worker.rabbitmq")
public class WorkerRabbitProperties {

	/**
	 * Prefix of every exchange and queue Worker declares. Applications that share a virtual host
	 * keep their tasks apart with different prefixes.
	 */
	private String prefix = "worker";

	/**
	 * Type of the queues holding tasks and delays.
	 */
	private QueueType queueType = QueueType.QUORUM;

	/**
	 * How long a publish waits for RabbitMQ's confirm before the enqueue or settlement fails.
	 */
	private Duration confirmTimeout = Duration.ofSeconds(10);

	/**
	 * Deliveries of a task without a settlement (its worker died or lost its connection) after
	 * which a quorum queue moves it to the archive. Worker archives such a task itself once its
	 * retries are used up, so keep this above every task's max-retries.
	 */
	private int deliveryLimit = 1000;

	/**
	 * How long a task may stay unacknowledged before RabbitMQ closes its channel and delivers it
	 * again. On RabbitMQ 3.12 and later Worker's consumers ask for it themselves
	 * (x-consumer-timeout); on older brokers it must match consumer_timeout in rabbitmq.conf.
	 * Startup warns about task timeouts above it.
	 */
	private Duration consumerTimeout = Duration.ofMinutes(30);

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public QueueType getQueueType() {
		return this.queueType;
	}

	public void setQueueType(QueueType queueType) {
		this.queueType = queueType;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	public int getDeliveryLimit() {
		return this.deliveryLimit;
	}

	public void setDeliveryLimit(int deliveryLimit) {
		this.deliveryLimit = deliveryLimit;
	}

	public Duration getConsumerTimeout() {
		return this.consumerTimeout;
	}

	public void setConsumerTimeout(Duration consumerTimeout) {
		this.consumerTimeout = consumerTimeout;
	}

}
