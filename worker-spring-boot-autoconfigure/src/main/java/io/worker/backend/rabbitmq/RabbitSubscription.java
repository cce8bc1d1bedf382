package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpApplicationContextClosedException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Keeps one consuming channel open: opens it, lets its owner subscribe on it, and when the channel
 * or its connection closes under it, opens a new one and subscribes again with backoff (Spring
 * AMQP's connection factory reconnects), until it is cancelled or closed. Cancelling stops the
 * consumer but keeps the channel open, so deliveries taken on it can still be acknowledged.
 */
final class RabbitSubscription {

	private static final Logger logger = LoggerFactory.getLogger(RabbitSubscription.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(500);

	private static final Duration MAX_RETRY = Duration.ofSeconds(30);

	private final String description;

	private final ConnectionFactory connectionFactory;

	private final ScheduledExecutorService scheduler;

	private final Subscriber subscriber;

	private final AtomicReference<@Nullable Channel> channel = new AtomicReference<>();

	private volatile @Nullable String consumerTag;

	private volatile boolean active;

	private volatile boolean paused;

	/**
	 * @param description what is consumed, for logs
	 * @param scheduler where resubscriptions run
	 * @param subscriber sets up the channel and starts consuming on it; returns the consumer tag
	 */
	RabbitSubscription(String description, ConnectionFactory connectionFactory, ScheduledExecutorService scheduler,
			Subscriber subscriber) {
		this.description = description;
		this.connectionFactory = connectionFactory;
		this.scheduler = scheduler;
		this.subscriber = subscriber;
	}

	/**
	 * Subscribe now, or, when RabbitMQ cannot be reached, keep trying in the background.
	 * @throws RuntimeException when RabbitMQ refused the subscription (nothing is retried then)
	 */
	void start() {
		this.active = true;
		try {
			subscribe();
		}
		catch (AmqpException ex) {
			logger.warn("Cannot reach RabbitMQ to consume {} ({}); retrying in the background", this.description,
					ex.toString());
			resubscribe(FIRST_RETRY);
		}
		catch (RetryingException ex) {
			// the channel closed under the subscription, which subscribes again
		}
		catch (IOException | RuntimeException ex) {
			this.active = false;
			throw new IllegalStateException("Could not consume " + this.description + ": " + ex, ex);
		}
	}

	/** The channel consumed on now, or {@code null}. */
	@Nullable Channel channel() {
		return this.channel.get();
	}

	/** Stop consuming and resubscribing; the channel stays open for acknowledgements. */
	void cancel() {
		this.active = false;
		cancelConsumer();
	}

	/**
	 * Stop taking deliveries until {@link #resume()}: the consumer is cancelled, the channel stays
	 * open for acknowledgements, and a lost channel is reopened without consuming.
	 */
	synchronized void pause() {
		this.paused = true;
		cancelConsumer();
	}

	/** Consume again after {@link #pause()}, on the open channel or a new one. */
	synchronized void resume() {
		if (!this.paused) {
			return;
		}
		this.paused = false;
		Channel current = this.channel.get();
		if (!this.active || current == null || !current.isOpen()) {
			// not started, stopped, or being reopened: the next subscription consumes
			return;
		}
		try {
			this.consumerTag = this.subscriber.subscribe(current);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not consume {} again after a pause ({}); reopening its channel", this.description,
					ex.toString());
			try {
				current.abort();
			}
			catch (IOException | RuntimeException ignored) {
				// its shutdown listener subscribes again
			}
		}
	}

	private void cancelConsumer() {
		Channel current = this.channel.get();
		String tag = this.consumerTag;
		if (current != null && tag != null && current.isOpen()) {
			try {
				current.basicCancel(tag);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not cancel the consumer of {}: {}", this.description, ex.toString());
			}
		}
	}

	/** Stop and close the channel: the broker delivers its unacknowledged messages again. */
	void close() {
		this.active = false;
		Channel current = this.channel.getAndSet(null);
		if (current != null && current.isOpen()) {
			try {
				current.close();
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				logger.debug("Could not close the channel of {}: {}", this.description, ex.toString());
			}
		}
	}

	private synchronized void subscribe() throws IOException {
		Channel opened = this.connectionFactory.createConnection().getDelegate().createChannel();
		try {
			opened.addShutdownListener((cause) -> lost(opened, cause));
			this.channel.set(opened);
			this.consumerTag = this.paused ? null : this.subscriber.subscribe(opened);
		}
		catch (IOException | RuntimeException ex) {
			if (!this.channel.compareAndSet(opened, null)) {
				// the channel closed under the subscriber: its shutdown listener already subscribes again
				throw new RetryingException(ex);
			}
			if (opened.isOpen()) {
				try {
					opened.abort();
				}
				catch (IOException ignored) {
					// aborting anyway
				}
			}
			throw ex;
		}
	}

	private void lost(Channel lost, ShutdownSignalException cause) {
		if (!this.active || !this.channel.compareAndSet(lost, null)) {
			return;
		}
		if (cause.isInitiatedByApplication()) {
			// this application closed it: its connection factory stopping at shutdown, or resetting
			logger.debug("The channel consuming {} was closed by this application ({}); subscribing again unless "
					+ "the application is closing", this.description, cause.getMessage());
		}
		else {
			logger.warn("Lost the channel consuming {} ({}); subscribing again", this.description, cause.getMessage());
		}
		resubscribe(FIRST_RETRY);
	}

	private void resubscribe(Duration delay) {
		try {
			this.scheduler.schedule(() -> {
				if (!this.active) {
					return;
				}
				try {
					subscribe();
					logger.info("Consuming {} again", this.description);
				}
				catch (RetryingException ex) {
					logger.debug("Subscribing {} again after {}", this.description, ex.getCause().toString());
				}
				catch (AmqpApplicationContextClosedException ex) {
					// the application is shutting down: there is nothing to consume for any more
					logger.debug("Not consuming {} again: {}", this.description, ex.getMessage());
				}
				catch (IOException | RuntimeException ex) {
					Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
					logger.warn("Could not consume {} again ({}); retrying in {}", this.description, ex.toString(), next);
					resubscribe(next);
				}
			}, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			logger.debug("Not subscribing {} again: {}", this.description, ex.toString());
		}
	}

	/** The subscription failed because its channel closed, which already scheduled another try. */
	private static final class RetryingException extends RuntimeException {

		RetryingException(Throwable cause) {
			super(cause);
		}

	}

	/** Sets up a channel and starts consuming on it. */
	@FunctionalInterface
	interface Subscriber {

		/** @return the consumer tag */
		String subscribe(Channel channel) throws IOException;

	}

}
