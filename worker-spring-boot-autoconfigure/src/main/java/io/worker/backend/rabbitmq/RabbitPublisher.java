package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
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
 * one go and its confirms awaited together.
 * <p>
 * Each RabbitMQ channel is one process on the broker, which decodes every message's headers in turn:
 * one channel caps publishing at one broker core. So publishers take whichever of
 * {@value #CHANNELS} channels is free (opened on first need and kept), and a batch of twice
 * {@value #CHUNK} messages or more is cut into contiguous chunks of at least {@value #CHUNK},
 * published on several channels at once;
 * its messages keep their order within a chunk, not across chunks.
 */
final class RabbitPublisher implements AutoCloseable {

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
	 * @return completes once confirmed; fails with a {@link PublishException} when refused or lost
	 */
	CompletableFuture<Void> publish(Outgoing message) {
		return publishAll(List.of(message)).get(0);
	}

	/**
	 * Publish every message without waiting between them: in order on one channel, or, for a batch
	 * of twice {@value #CHUNK} or more, in contiguous chunks on several.
	 */
	List<CompletableFuture<Void>> publishAll(List<Outgoing> messages) {
		if (messages.isEmpty()) {
			return List.of();
		}
		int chunks = chunks(messages.size());
		if (chunks == 1) {
			return publishOn(take(), messages);
		}
		List<CompletableFuture<Void>> confirms = new ArrayList<>(messages.size());
		int start = this.next.getAndIncrement();
		for (int i = 0; i < chunks; i++) {
			int from = (int) ((long) messages.size() * i / chunks);
			int to = (int) ((long) messages.size() * (i + 1) / chunks);
			Slot slot = this.slots[Math.floorMod(start + i, CHANNELS)];
			slot.lock.lock();
			confirms.addAll(publishOn(slot, messages.subList(from, to)));
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

	/** Publish on a slot the caller locked, and unlock it. */
	private List<CompletableFuture<Void>> publishOn(Slot slot, List<Outgoing> messages) {
		List<CompletableFuture<Void>> confirms = new ArrayList<>(messages.size());
		try {
			ConfirmChannel channel;
			try {
				channel = slot.channel();
			}
			catch (IOException | RuntimeException ex) {
				messages.forEach((message) -> confirms.add(CompletableFuture.failedFuture(
						new PublishException("cannot open a channel to RabbitMQ: " + ex, ex))));
				return confirms;
			}
			for (Outgoing message : messages) {
				confirms.add(channel.publish(message));
			}
			return confirms;
		}
		finally {
			slot.lock.unlock();
		}
	}

	/**
	 * Wait for a publish's confirm, within the confirm timeout.
	 * @throws PublishException when it was refused, lost or not confirmed in time
	 */
	void await(CompletableFuture<Void> confirm) {
		await(List.of(confirm)).forEach((failure) -> {
			if (failure != null) {
				throw failure;
			}
		});
	}

	/** Wait for every confirm together, within one confirm timeout: the failure of each, or {@code null}. */
	List<@Nullable PublishException> await(List<CompletableFuture<Void>> confirms) {
		long deadline = System.nanoTime() + this.confirmTimeout.toNanos();
		List<@Nullable PublishException> failures = new ArrayList<>(confirms.size());
		for (CompletableFuture<Void> confirm : confirms) {
			failures.add(awaitOne(confirm, deadline));
		}
		return failures;
	}

	private @Nullable PublishException awaitOne(CompletableFuture<Void> confirm, long deadline) {
		try {
			confirm.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			return null;
		}
		catch (ExecutionException ex) {
			return (ex.getCause() instanceof PublishException failure) ? failure
					: new PublishException(String.valueOf(ex.getCause()), ex.getCause());
		}
		catch (TimeoutException ex) {
			return new PublishException("RabbitMQ did not confirm the message within " + this.confirmTimeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new PublishException("interrupted while waiting for RabbitMQ's confirm", ex);
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

	/** A message to publish. */
	record Outgoing(String exchange, String routingKey, boolean mandatory, Map<String, Object> headers,
			byte[] body, @Nullable String messageId, @Nullable String type) {
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
		CompletableFuture<Void> publish(Outgoing message) {
			long tag = this.channel.getNextPublishSeqNo();
			Pending pending = new Pending(new CompletableFuture<>());
			this.pending.put(tag, pending);
			AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
				.contentType("application/json")
				.headers(message.headers())
				.messageId(message.messageId())
				.type(message.type())
				.correlationId(Long.toString(tag))
				.build();
			try {
				this.channel.basicPublish(message.exchange(), message.routingKey(), message.mandatory(), properties,
						message.body());
			}
			catch (IOException | RuntimeException ex) {
				this.pending.remove(tag);
				pending.confirm.completeExceptionally(new PublishException("could not publish to RabbitMQ: " + ex, ex));
			}
			return pending.confirm;
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
				if (failure == null) {
					pending.confirm.complete(null);
				}
				else {
					pending.confirm.completeExceptionally(new PublishException(failure, null));
				}
			}
		}

		private Map<Long, Pending> subMap(long tag) {
			return this.pending.subMap(tag, true, tag, true);
		}

		private void lost(ShutdownSignalException cause) {
			for (Long key : List.copyOf(this.pending.keySet())) {
				Pending pending = this.pending.remove(key);
				if (pending != null) {
					pending.confirm.completeExceptionally(new PublishException(
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

	private static final class Pending {

		final CompletableFuture<Void> confirm;

		volatile @Nullable String returned;

		Pending(CompletableFuture<Void> confirm) {
			this.confirm = confirm;
		}

	}

}
