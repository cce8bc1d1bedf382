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

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Reads a RabbitMQ stream from an offset up to now, without consuming it. RabbitMQ 3.10 tells an
 * AMQP 0-9-1 client neither a stream's length nor its last offset, so each reading first appends an
 * end marker with a fresh message id (confirmed) and reads until it meets it. End markers, this
 * reading's and others', are left out of what it returns.
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
		return read(stream, offset, false);
	}

	/**
	 * The records of a stream from an offset up to now, oldest first, with the end markers of other
	 * readings when {@code withMarkers} (their headers hold {@link #END_MARKER}), so that offsets
	 * follow one another; none when it does not exist.
	 */
	List<StreamRecord> read(String stream, Object offset, boolean withMarkers) {
		try {
			Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
			try {
				if (!exists(channel, stream)) {
					return List.of();
				}
				String end = UUID.randomUUID().toString();
				this.publisher.await(this.publisher.publish(
						new Outgoing("", stream, true, Map.of(END_MARKER, "true"), new byte[0], end, null)));
				return readUpTo(channel, stream, offset, end, withMarkers);
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

	private List<StreamRecord> readUpTo(Channel channel, String stream, Object offset, String end, boolean withMarkers)
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
				if (end.equals(properties.getMessageId())) {
					done.complete(null);
					return;
				}
				Map<String, Object> headers = (properties.getHeaders() != null) ? properties.getHeaders() : Map.of();
				if (headers.get("x-stream-offset") instanceof Number number
						&& (withMarkers || !headers.containsKey(END_MARKER))) {
					records.add(new StreamRecord(number.longValue(), RabbitQueueConsumer.text(headers), body));
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
		try {
			channel.queueDeclarePassive(stream);
			return true;
		}
		catch (IOException ex) {
			if (ex.getCause() instanceof ShutdownSignalException signal
					&& signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 404) {
				return false;
			}
			throw ex;
		}
	}

	/** One record of a stream: its offset, its text headers, its body. */
	record StreamRecord(long offset, Map<String, String> headers, byte[] body) {
	}

}
