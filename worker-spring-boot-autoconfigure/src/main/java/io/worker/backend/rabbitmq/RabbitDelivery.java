package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unacknowledged RabbitMQ delivery of a task. Each settlement publishes what it must first
 * (the retry into the delay levels, the archived copy, the handed-back copy), waits for the
 * broker's confirm, and only then acknowledges the original on the channel it came on: a failure
 * before the ack leaves the original unacknowledged, to be delivered again.
 * <p>
 * A message that is not a readable task is delivered as {@link #malformed()}: the runtime archives
 * it at once (counting it), and this delivery archives the message as it came, with the reason.
 */
final class RabbitDelivery implements Delivery {

	private static final Logger logger = LoggerFactory.getLogger(RabbitDelivery.class);

	private final Channel channel;

	private final long deliveryTag;

	private final TaskMessage message;

	private final Instant readyAt;

	private final int deliveryCount;

	private final RabbitPublisher publisher;

	private final RabbitRouter router;

	private final Clock clock;

	private final @Nullable Unreadable unreadable;

	private final AtomicBoolean settled = new AtomicBoolean();

	private volatile Runnable onSettled = () -> {
	};

	/**
	 * @param channel the channel the message was delivered on
	 * @param readyAt when the task became ready: its due time when it was delayed
	 * @param deliveryCount the deliveries of this message so far, this one included
	 */
	RabbitDelivery(Channel channel, long deliveryTag, TaskMessage message, Instant readyAt, int deliveryCount,
			RabbitPublisher publisher, RabbitRouter router, Clock clock) {
		this(channel, deliveryTag, message, readyAt, deliveryCount, publisher, router, clock, null);
	}

	/**
	 * A message that is not a readable task.
	 * @param placeholder what could be read of it (at least an id and its queue)
	 */
	RabbitDelivery(Channel channel, long deliveryTag, TaskMessage placeholder, Unreadable unreadable,
			RabbitPublisher publisher, RabbitRouter router, Clock clock) {
		this(channel, deliveryTag, placeholder, clock.instant(), 1, publisher, router, clock, unreadable);
	}

	private RabbitDelivery(Channel channel, long deliveryTag, TaskMessage message, Instant readyAt, int deliveryCount,
			RabbitPublisher publisher, RabbitRouter router, Clock clock, @Nullable Unreadable unreadable) {
		this.unreadable = unreadable;
		this.channel = channel;
		this.deliveryTag = deliveryTag;
		this.message = message;
		this.readyAt = readyAt;
		this.deliveryCount = deliveryCount;
		this.publisher = publisher;
		this.router = router;
		this.clock = clock;
	}

	/** Run once this delivery is acknowledged or returned to its queue. */
	void onSettled(Runnable action) {
		this.onSettled = action;
	}

	@Override
	public TaskMessage message() {
		return this.message;
	}

	@Override
	public Instant readyAt() {
		return this.readyAt;
	}

	@Override
	public @Nullable String malformed() {
		return (this.unreadable != null) ? this.unreadable.reason() : null;
	}

	@Override
	public int deliveryCount() {
		return this.deliveryCount;
	}

	@Override
	public void complete(byte @Nullable [] result) {
		ack();
	}

	/** A retry further away than the delay levels reach is made at their longest delay. */
	@Override
	public void retry(TaskMessage failed, Instant processAt) {
		if (this.unreadable != null) {
			archive(failed);
			return;
		}
		Instant now = this.clock.instant();
		Instant latest = now.plus(RabbitNames.MAX_DELAY);
		publishThenAck(this.router.task(failed, processAt.isAfter(latest) ? latest : processAt, now));
	}

	@Override
	public void archive(TaskMessage failed) {
		Unreadable unreadable = this.unreadable;
		if (unreadable != null) {
			String reason = (failed.lastError() != null) ? failed.lastError() : unreadable.reason();
			publishThenAck(this.router.garbage(this.message.queue(), unreadable.headers(), unreadable.body(), reason,
					this.clock.instant()));
			return;
		}
		publishThenAck(this.router.archive(failed, this.clock.instant()));
	}

	/**
	 * Republished to the tail of its queue, then acknowledged: a quorum queue on RabbitMQ 3.10 counts a
	 * nack with requeue as a delivery, and a hand-back must not count as an attempt. A message that is
	 * not a readable task goes back as it came, with a nack.
	 */
	@Override
	public void requeue() {
		if (this.unreadable != null) {
			checkSettleable();
			try {
				this.channel.basicNack(this.deliveryTag, false, true);
				this.settled.set(true);
				this.onSettled.run();
			}
			catch (IOException | RuntimeException ex) {
				throw new IllegalStateException("Could not hand message " + this.message.id() + " back to RabbitMQ: "
						+ ex + "; it will be delivered again", ex);
			}
			return;
		}
		publishThenAck(this.router.handBack(this.message, this.deliveryCount - 1));
	}

	@Override
	public boolean extendLease() {
		return this.channel.isOpen() && !this.settled.get();
	}

	/** The runtime did not settle the delivery: make it deliverable again, if its channel still can. */
	void abandoned(Throwable reason) {
		if (this.settled.get() || !this.channel.isOpen()) {
			return;
		}
		try {
			this.channel.basicNack(this.deliveryTag, false, true);
			this.onSettled.run();
			logger.debug("Task {} was not settled ({}); returned to its queue", this.message.id(), reason.toString());
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not return task {} to its queue: {}; its channel's closing returns it",
					this.message.id(), ex.toString());
		}
	}

	private void publishThenAck(Outgoing outgoing) {
		checkSettleable();
		this.publisher.await(this.publisher.publish(outgoing));
		ack();
	}

	private void ack() {
		checkSettleable();
		try {
			this.channel.basicAck(this.deliveryTag, false);
			this.settled.set(true);
			this.onSettled.run();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Could not acknowledge task " + this.message.id() + " on RabbitMQ: " + ex
					+ "; it will be delivered again", ex);
		}
	}

	private void checkSettleable() {
		if (this.settled.get()) {
			throw new IllegalStateException("Task " + this.message.id() + " was already settled");
		}
		if (!this.channel.isOpen()) {
			throw new IllegalStateException("The channel task " + this.message.id() + " was delivered on is closed: "
					+ "RabbitMQ delivers it again");
		}
	}

	/**
	 * What a message that is not a readable task held, kept to archive it as it came.
	 * @param reason why it cannot be read
	 */
	record Unreadable(String reason, Map<String, Object> headers, byte[] body) {
	}

}
