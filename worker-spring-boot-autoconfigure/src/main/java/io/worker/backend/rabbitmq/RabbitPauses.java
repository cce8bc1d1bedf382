package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.spi.TaskEnvelope;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Which queues are paused, shared by every instance: pause and resume are records appended to the
 * control stream ({@code <prefix>.control}), which every instance reads from its first offset and
 * keeps reading, so that one starting later learns the state as well as those already running, and
 * the last record of a queue wins. After each (re)subscription the state is replayed quietly up to
 * an end marker this instance appends, and only then are the changes told to the listeners.
 */
final class RabbitPauses {

	private static final Logger logger = LoggerFactory.getLogger(RabbitPauses.class);

	/** Header of a control record: {@code pause}, {@code resume} or {@code end}. */
	static final String ACTION = "worker-control";

	private final RabbitNames names;

	private final RabbitTopology topology;

	private final RabbitPublisher publisher;

	private final Duration catchUpTimeout;

	private final RabbitSubscription subscription;

	private final Map<String, Boolean> paused = new ConcurrentHashMap<>();

	private final List<BiConsumer<String, Boolean>> listeners = new CopyOnWriteArrayList<>();

	private volatile CompletableFuture<Void> caughtUp = new CompletableFuture<>();

	private boolean started;

	RabbitPauses(RabbitNames names, RabbitTopology topology, ConnectionFactory connectionFactory,
			ScheduledExecutorService scheduler, RabbitPublisher publisher, Duration catchUpTimeout) {
		this.names = names;
		this.topology = topology;
		this.publisher = publisher;
		this.catchUpTimeout = catchUpTimeout;
		this.subscription = new RabbitSubscription("the pause control stream", connectionFactory, scheduler,
				this::subscribe);
	}

	/** Be told of each queue paused ({@code true}) or resumed ({@code false}) from now on. */
	void onChange(BiConsumer<String, Boolean> listener) {
		this.listeners.add(listener);
	}

	void pause(String queue) {
		set(queue, true);
	}

	void resume(String queue) {
		set(queue, false);
	}

	/** Whether the queue is paused, once the state was read up to now. */
	boolean isPaused(String queue) {
		awaitCaughtUp();
		return this.paused.getOrDefault(queue, false);
	}

	/** Whether the queue is paused as far as this instance has read, without waiting. */
	boolean knownPaused(String queue) {
		return this.paused.getOrDefault(queue, false);
	}

	/**
	 * Read the control stream (starting to, the first time) until this instance knows the state as
	 * of now.
	 * @throws IllegalStateException when that does not happen in time
	 */
	void awaitCaughtUp() {
		synchronized (this) {
			if (!this.started) {
				this.subscription.start();
				this.started = true;
			}
		}
		try {
			this.caughtUp.get(this.catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not read which queues are paused from RabbitMQ stream '"
					+ this.names.controlStream() + "' within " + this.catchUpTimeout + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading which queues are paused", ex);
		}
	}

	synchronized void close() {
		this.subscription.close();
		this.started = false;
	}

	/** Append the record (confirmed), then apply it here at once; the other instances read it. */
	private void set(String queue, boolean pause) {
		RabbitNames.checkQueueName(queue);
		awaitCaughtUp();
		this.publisher.await(this.publisher.publish(record(Map.of(ACTION, pause ? "pause" : "resume",
				TaskEnvelope.QUEUE, queue), null)));
		apply(queue, pause);
	}

	private void apply(String queue, boolean pause) {
		Boolean before = this.paused.put(queue, pause);
		if (before == null ? pause : before != pause) {
			for (BiConsumer<String, Boolean> listener : this.listeners) {
				try {
					listener.accept(queue, pause);
				}
				catch (RuntimeException ex) {
					logger.warn("A pause listener failed for queue '{}': {}", queue, ex.toString());
				}
			}
		}
	}

	private String subscribe(Channel channel) throws IOException {
		this.topology.declare(List.of());
		if (this.caughtUp.isDone()) {
			this.caughtUp = new CompletableFuture<>();
		}
		CompletableFuture<Void> caughtUp = this.caughtUp;
		String end = UUID.randomUUID().toString();
		Map<String, Boolean> replayed = new HashMap<>();
		channel.basicQos(200);
		String tag = channel.basicConsume(this.names.controlStream(), false, Map.of("x-stream-offset", "first"),
				new DefaultConsumer(channel) {

					@Override
					public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
							byte[] body) throws IOException {
						read(properties, end, replayed, caughtUp);
						channel.basicAck(envelope.getDeliveryTag(), true);
					}

				});
		this.publisher.publish(record(Map.of(ACTION, "end"), end));
		return tag;
	}

	private void read(AMQP.BasicProperties properties, String end, Map<String, Boolean> replayed,
			CompletableFuture<Void> caughtUp) {
		if (end.equals(properties.getMessageId())) {
			replayed.forEach(this::apply);
			replayed.clear();
			caughtUp.complete(null);
			return;
		}
		Map<String, Object> headers = (properties.getHeaders() != null) ? properties.getHeaders() : Map.of();
		Object action = headers.get(ACTION);
		Object queue = headers.get(TaskEnvelope.QUEUE);
		if (queue == null || action == null || !List.of("pause", "resume").contains(action.toString())) {
			return;
		}
		boolean pause = "pause".equals(action.toString());
		if (caughtUp.isDone()) {
			apply(queue.toString(), pause);
		}
		else {
			replayed.put(queue.toString(), pause);
		}
	}

	private Outgoing record(Map<String, Object> headers, @Nullable String messageId) {
		return new Outgoing("", this.names.controlStream(), true, headers, new byte[0], messageId, null,
				RabbitPublisher.JSON);
	}

}
