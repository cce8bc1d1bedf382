package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Reads a RabbitMQ stream without consuming it. RabbitMQ 3.10 does not tell an AMQP 0-9-1 client a
 * stream's last offset, so reading up to now first appends an end marker with a fresh message id
 * (confirmed) and reads until it meets it; a range of known offsets is read with no marker. End
 * markers, this reading's and others', are left out of what it returns. The stream's message count
 * ({@link #count}) tells a reader cheaply whether anything was appended since it last read.
 */
final class RabbitStreamReader {

	/** Header of an end marker. */
	static final String END_MARKER = "worker-stream-end";

	private static final int PREFETCH = 500;

	private final ConnectionFactory connectionFactory;

	private final RabbitPublisher publisher;

	private final Duration timeout;

	/**
	 * @param timeout how long reading a stream to its end may take
	 */
	RabbitStreamReader(ConnectionFactory connectionFactory, RabbitPublisher publisher, Duration timeout) {
		this.connectionFactory = connectionFactory;
		this.publisher = publisher;
		this.timeout = timeout;
	}

	/**
	 * The records of a stream from an offset up to now, oldest first; none when it does not exist.
	 * @param offset an {@code x-stream-offset}: {@code "first"}, a number, or a {@link java.util.Date}
	 */
	List<StreamRecord> read(String stream, Object offset) {
		return readToEnd(stream, offset).records();
	}

	/**
	 * The records of a stream from an offset up to now, oldest first, with the end markers of every
	 * reading when {@code withMarkers} (their headers hold {@link #END_MARKER}), so that offsets
	 * follow one another; none when it does not exist.
	 */
	List<StreamRecord> read(String stream, Object offset, boolean withMarkers) {
		return readToEnd(stream, offset, withMarkers).records();
	}

	/**
	 * The records of a stream from an offset up to now, and the offset after the last one read
	 * (this reading's end marker); none, and {@code -1}, when the stream does not exist.
	 */
	Reading readToEnd(String stream, Object offset) {
		return readToEnd(stream, offset, false);
	}

	private Reading readToEnd(String stream, Object offset, boolean withMarkers) {
		return withChannel(stream, (channel) -> {
			if (!exists(channel, stream)) {
				return new Reading(List.of(), -1);
			}
			String end = UUID.randomUUID().toString();
			this.publisher.await(this.publisher
				.publish(new Outgoing("", stream, true, Map.of(END_MARKER, "true"), new byte[0], end, null, RabbitPublisher.JSON)));
			long[] endOffset = { -1 };
			List<StreamRecord> records = consume(channel, stream, offset, withMarkers, (properties, at) -> {
				if (end.equals(properties.getMessageId())) {
					endOffset[0] = at;
					return true;
				}
				return false;
			});
			return new Reading(records, endOffset[0] + 1);
		});
	}

	/**
	 * The records of a stream from one offset to another, both included, with no end marker: for
	 * offsets known to hold records.
	 */
	List<StreamRecord> readRange(String stream, long from, long to) {
		return withChannel(stream, (channel) -> consume(channel, stream, from, false, (properties, at) -> at >= to))
			.stream()
			.filter((record) -> record.offset() <= to)
			.toList();
	}

	/** How many records a stream holds (RabbitMQ's message count of it), or -1 when it does not exist. */
	long count(String stream) {
		return withChannel(stream, (channel) -> {
			AMQP.Queue.DeclareOk declared = declared(channel, stream);
			return (declared != null) ? declared.getMessageCount() : -1L;
		});
	}

	private <T> T withChannel(String stream, ChannelFunction<T> function) {
		try {
			Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
			try {
				return function.apply(channel);
			}
			finally {
				if (channel.isOpen()) {
					channel.close();
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not read RabbitMQ stream '" + stream + "': " + ex, ex);
		}
	}

	/**
	 * Consume from an offset until {@code last} says a record is the last: the records up to it,
	 * end markers only {@code withMarkers}.
	 */
	private List<StreamRecord> consume(Channel channel, String stream, Object offset, boolean withMarkers, Last last)
			throws IOException {
		List<StreamRecord> records = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<Void> done = new CompletableFuture<>();
		channel.basicQos(PREFETCH);
		channel.basicConsume(stream, false, Map.of("x-stream-offset", offset), new DefaultConsumer(channel) {

			@Override
			public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
					throws IOException {
				if (done.isDone()) {
					return;
				}
				Map<String, Object> headers = (properties.getHeaders() != null) ? properties.getHeaders() : Map.of();
				if (headers.get("x-stream-offset") instanceof Number number) {
					if (withMarkers || !headers.containsKey(END_MARKER)) {
						records.add(new StreamRecord(number.longValue(), RabbitQueueConsumer.text(headers), body));
					}
					if (last.test(properties, number.longValue())) {
						done.complete(null);
						return;
					}
				}
				// a stream consumer is granted more records as it acknowledges those it has
				channel.basicAck(envelope.getDeliveryTag(), true);
			}

			@Override
			public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
				done.completeExceptionally(signal);
			}

		});
		try {
			done.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not read RabbitMQ stream '" + stream + "' to its end within "
					+ this.timeout + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading RabbitMQ stream '" + stream + "'", ex);
		}
		synchronized (records) {
			return List.copyOf(records);
		}
	}

	private static boolean exists(Channel channel, String stream) throws IOException {
		return declared(channel, stream) != null;
	}

	private static AMQP.Queue.@Nullable DeclareOk declared(Channel channel, String stream) throws IOException {
		try {
			return channel.queueDeclarePassive(stream);
		}
		catch (IOException ex) {
			if (ex.getCause() instanceof ShutdownSignalException signal
					&& signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 404) {
				return null;
			}
			throw ex;
		}
	}

	/** One record of a stream: its offset, its text headers, its body. */
	record StreamRecord(long offset, Map<String, String> headers, byte[] body) {
	}

	/** Records read up to an end marker, and the offset after that marker. */
	record Reading(List<StreamRecord> records, long next) {
	}

	@FunctionalInterface
	private interface ChannelFunction<T> {

		T apply(Channel channel) throws IOException;

	}

	@FunctionalInterface
	private interface Last {

		boolean test(AMQP.BasicProperties properties, long offset);

	}

}
