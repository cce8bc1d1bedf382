package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Publishes persistent messages on a few channels in confirm mode, {@code mandatory}, and tells each
 * caller whether the broker took its message: a confirm completes it, a nack, a return (no queue
 * bound) or the channel's loss fails it with a {@link PublishException}. A batch is published in
 * one go and its confirms awaited together: its publisher sleeps until the last one is settled, and
 * wakes once per batch, not once per confirm frame.
 * <p>
 * Each RabbitMQ channel is one process on the broker, which decodes every message's headers in turn:
 * one channel caps publishing at one broker core. So publishers take whichever of
 * {@value #CHANNELS} channels is free (opened on first need and kept), and a batch of twice
 * {@value #CHUNK} messages or more is cut into contiguous chunks of at least {@value #CHUNK},
 * published on several channels at once;
 * its messages keep their order within a chunk, not across chunks.
 */
final class RabbitPublisher implements AutoCloseable {

	/** The content type of messages whose body is JSON (or empty). */
	static final String JSON = "application/json";

	/** Channels at most; measured on 2 cores, a batch on 4 published up to 2× faster than on 1. */
	static final int CHANNELS = 4;

	/** The smallest chunk of a batch given a channel of its own: smaller batches stay on one, in order. */
	static final int CHUNK = 250;

	private final ConnectionFactory connectionFactory;

	private final Duration confirmTimeout;

	private final Slot[] slots = new Slot[CHANNELS];

	private final AtomicInteger next = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * @param connectionFactory the factory of the connection to publish on
	 * @param confirmTimeout how long {@link #await} waits for confirms
	 */
	RabbitPublisher(ConnectionFactory connectionFactory, Duration confirmTimeout) {
		this.connectionFactory = connectionFactory;
		this.confirmTimeout = confirmTimeout;
		for (int i = 0; i < CHANNELS; i++) {
			this.slots[i] = new Slot();
		}
	}

	/**
	 * Publish one message.
	 * @return its confirm, for {@link #await(Confirms)}
	 */
	Confirms publish(Outgoing message) {
		return publishAll(List.of(message));
	}

	/**
	 * Publish every message without waiting between them: in order on one channel, or, for a batch
	 * of twice {@value #CHUNK} or more, in contiguous chunks on several.
	 * @return their confirms, in the order of {@code messages}, for {@link #await(Confirms)}
	 */
	Confirms publishAll(List<Outgoing> messages) {
		Confirms confirms = new Confirms(messages.size(), this.confirmTimeout);
		if (messages.isEmpty()) {
			return confirms;
		}
		int chunks = chunks(messages.size());
		if (chunks == 1) {
			publishOn(take(), messages, 0, confirms);
			return confirms;
		}
		int start = this.next.getAndIncrement();
		for (int i = 0; i < chunks; i++) {
			int from = (int) ((long) messages.size() * i / chunks);
			int to = (int) ((long) messages.size() * (i + 1) / chunks);
			Slot slot = this.slots[Math.floorMod(start + i, CHANNELS)];
			slot.lock.lock();
			publishOn(slot, messages.subList(from, to), from, confirms);
		}
		return confirms;
	}

	/** How many channels a batch of this size is spread over. */
	static int chunks(int size) {
		return Math.max(1, Math.min(CHANNELS, size / CHUNK));
	}

	/** A free slot, locked; when all are busy, waits for one. */
	private Slot take() {
		int start = this.next.getAndIncrement();
		for (int i = 0; i < CHANNELS; i++) {
			Slot slot = this.slots[Math.floorMod(start + i, CHANNELS)];
			if (slot.lock.tryLock()) {
				return slot;
			}
		}
		Slot slot = this.slots[Math.floorMod(start, CHANNELS)];
		slot.lock.lock();
		return slot;
	}

	/** Publish on a slot the caller locked, as {@code confirms}' entries from {@code first} on, and unlock it. */
	private void publishOn(Slot slot, List<Outgoing> messages, int first, Confirms confirms) {
		try {
			ConfirmChannel channel;
			try {
				channel = slot.channel();
			}
			catch (IOException | RuntimeException ex) {
				for (int i = 0; i < messages.size(); i++) {
					confirms.pending(first + i)
						.settle(new PublishException("cannot open a channel to RabbitMQ: " + ex, ex));
				}
				return;
			}
			for (int i = 0; i < messages.size(); i++) {
				channel.publish(messages.get(i), confirms.pending(first + i));
			}
		}
		finally {
			slot.lock.unlock();
		}
	}

	/**
	 * Wait for a publish's confirms, within the confirm timeout.
	 * @throws PublishException the first failure, when one was refused, lost or not confirmed in time
	 */
	void await(Confirms confirms) {
		for (PublishException failure : confirms.await()) {
			if (failure != null) {
				throw failure;
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		for (Slot slot : this.slots) {
			slot.lock.lock();
			try {
				slot.close();
			}
			finally {
				slot.lock.unlock();
			}
		}
	}

	/** One of the channels, opened when first needed, used by whoever holds its lock. */
	private final class Slot {

		final ReentrantLock lock = new ReentrantLock();

		private @Nullable ConfirmChannel current;

		/** Called holding the lock: the open confirm channel, opened when needed. */
		ConfirmChannel channel() throws IOException {
			if (RabbitPublisher.this.closed) {
				throw new IllegalStateException("the RabbitMQ backend is stopped");
			}
			ConfirmChannel channel = this.current;
			if (channel == null || !channel.channel.isOpen()) {
				channel = new ConfirmChannel(
						RabbitPublisher.this.connectionFactory.createConnection().getDelegate().createChannel());
				this.current = channel;
			}
			return channel;
		}

		/** Called holding the lock. */
		void close() {
			ConfirmChannel channel = this.current;
			this.current = null;
			if (channel != null) {
				channel.close();
			}
		}

	}

	/**
	 * A message to publish.
	 * @param headers its header table; none is sent when empty
	 * @param contentType its content type, if any: a task's body in {@link RabbitTaskCodec}'s format
	 * has none
	 */
	record Outgoing(String exchange, String routingKey, boolean mandatory, Map<String, Object> headers,
			byte[] body, @Nullable String messageId, @Nullable String type, @Nullable String contentType) {
	}

	/** RabbitMQ did not take a message. */
	static final class PublishException extends RuntimeException {

		PublishException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

	/** One channel in confirm mode and the publishes it has not had a confirm for. */
	private static final class ConfirmChannel {

		private final Channel channel;

		private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

		ConfirmChannel(Channel channel) throws IOException {
			this.channel = channel;
			channel.confirmSelect();
			channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
					(tag, multiple) -> settle(tag, multiple, "RabbitMQ refused the message (nack)"));
			channel.addReturnListener(this::returned);
			channel.addShutdownListener(this::lost);
		}

		/** Called holding its slot's lock, so sequence numbers follow publish order. */
		void publish(Outgoing message, Pending pending) {
			long tag = this.channel.getNextPublishSeqNo();
			this.pending.put(tag, pending);
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
				.contentType(message.contentType())
				.headers(message.headers().isEmpty() ? null : message.headers())
				.messageId(message.messageId())
				.type(message.type())
				.correlationId(Long.toString(tag))
				.build();
			try {
				this.channel.basicPublish(message.exchange(), message.routingKey(), message.mandatory(), properties,
						message.body());
			}
			catch (IOException | RuntimeException ex) {
				if (this.pending.remove(tag) != null) {
					pending.settle(new PublishException("could not publish to RabbitMQ: " + ex, ex));
				}
			}
		}

		private void returned(Return returned) {
			String correlation = returned.getProperties().getCorrelationId();
			Pending pending = (correlation != null) ? this.pending.get(Long.parseLong(correlation)) : null;
			if (pending != null) {
				pending.returned = "RabbitMQ returned the message as unroutable (" + returned.getReplyText()
						+ "): no queue is bound to exchange '" + returned.getExchange() + "' with routing key '"
						+ returned.getRoutingKey() + "'";
			}
		}

		private void settle(long tag, boolean multiple, @Nullable String refusal) {
			Map<Long, Pending> settled = multiple ? this.pending.headMap(tag, true) : subMap(tag);
			for (Long key : List.copyOf(settled.keySet())) {
				Pending pending = this.pending.remove(key);
				if (pending == null) {
					continue;
				}
				String failure = (refusal != null) ? refusal : pending.returned;
				pending.settle((failure != null) ? new PublishException(failure, null) : null);
			}
		}

		private Map<Long, Pending> subMap(long tag) {
			return this.pending.subMap(tag, true, tag, true);
		}

		private void lost(ShutdownSignalException cause) {
			for (Long key : List.copyOf(this.pending.keySet())) {
				Pending pending = this.pending.remove(key);
				if (pending != null) {
					pending.settle(new PublishException(
							"the channel to RabbitMQ closed before the broker confirmed the message: "
									+ cause.getMessage(), cause));
				}
			}
		}

		void close() {
			try {
				if (this.channel.isOpen()) {
					this.channel.close();
				}
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				// closing anyway
			}
		}

	}

	/**
	 * The confirms of one {@link #publishAll}: each message's outcome, and a count of those not yet
	 * settled, so that the publisher waits once for the last of them rather than for each in turn.
	 */
	static final class Confirms {

		private final Pending[] pending;

		private final CountDownLatch unsettled;

		private final Duration timeout;

		Confirms(int size, Duration timeout) {
			this.pending = new Pending[size];
			this.unsettled = new CountDownLatch(size);
			this.timeout = timeout;
			for (int i = 0; i < size; i++) {
				this.pending[i] = new Pending(this.unsettled);
			}
		}

		Pending pending(int index) {
			return this.pending[index];
		}

		/**
		 * Wait until every message is settled, within the confirm timeout counted from now.
		 * @return the failure of each message, or {@code null} for a confirmed one; one not settled in
		 * time fails with a timeout
		 */
		List<@Nullable PublishException> await() {
			boolean interrupted = false;
			try {
				this.unsettled.await(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				interrupted = true;
			}
			List<@Nullable PublishException> failures = new ArrayList<>(this.pending.length);
			for (Pending pending : this.pending) {
				failures.add(pending.settled ? pending.failure : unsettled(interrupted));
			}
			return failures;
		}

		private PublishException unsettled(boolean interrupted) {
			return interrupted ? new PublishException("interrupted while waiting for RabbitMQ's confirm", null)
					: new PublishException("RabbitMQ did not confirm the message within " + this.timeout, null);
		}

	}

	/** One message's outcome; settled once, by whoever removed it from its channel's pending map. */
	static final class Pending {

		private final CountDownLatch unsettled;

		volatile @Nullable String returned;

		private volatile @Nullable PublishException failure;

		private volatile boolean settled;

		Pending(CountDownLatch unsettled) {
			this.unsettled = unsettled;
		}

		/** Record the outcome ({@code null}: confirmed) and count the message as settled. */
		void settle(@Nullable PublishException failure) {
			this.failure = failure;
			this.settled = true;
			this.unsettled.countDown();
		}

	}

}
