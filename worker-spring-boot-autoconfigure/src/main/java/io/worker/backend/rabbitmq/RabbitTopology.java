package io.worker.backend.rabbitmq;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.worker.WorkerException;
import io.worker.backend.rabbitmq.RabbitSettings.QueueType;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Declares Worker's exchanges and queues: once the shared ones (the tasks and archive exchanges,
 * the delay levels, the cancel exchange), then each Worker queue's queue, archive and bindings the
 * first time it is used. Declarations are idempotent; an existing object declared with other
 * arguments is reported as a {@link RabbitTopologyException} naming the object and the argument.
 */
final class RabbitTopology {

	/** The bytes of archive stream kept per archived task: a task's largest headers (64 KiB). */
	static final long ARCHIVE_BYTES_PER_TASK = 64 * 1024;

	/** The bytes of schedule stream kept: many snapshots, each at most a few hundred KiB. */
	static final long SCHEDULE_STREAM_BYTES = 64L * 1024 * 1024;

	private static final Pattern INEQUIVALENT_ARG = Pattern.compile("inequivalent arg '([^']+)'");

	private final ConnectionFactory connectionFactory;

	private final RabbitNames names;

	private final RabbitSettings settings;

	private final Set<String> declared = ConcurrentHashMap.newKeySet();

	private volatile boolean sharedDeclared;

	RabbitTopology(ConnectionFactory connectionFactory, RabbitNames names, RabbitSettings settings) {
		this.connectionFactory = connectionFactory;
		this.names = names;
		this.settings = settings;
	}

	/** The Worker queues declared so far, in no order. */
	Set<String> declaredQueues() {
		return Set.copyOf(this.declared);
	}

	/** Declare the shared objects and the given queues' objects, where not done yet. */
	void declare(Iterable<String> queues) {
		boolean done = this.sharedDeclared;
		for (String queue : queues) {
			RabbitNames.checkQueueName(queue);
			done = done && this.declared.contains(queue);
		}
		if (done) {
			return;
		}
		synchronized (this) {
			if (!this.sharedDeclared) {
				withChannel(this::declareShared);
				this.sharedDeclared = true;
			}
			for (String queue : queues) {
				if (!this.declared.contains(queue)) {
					withChannel((channel) -> declareQueue(channel, queue));
					this.declared.add(queue);
				}
			}
		}
	}

	/** Forget what was declared (the objects may have been deleted): the next use declares again. */
	void forget(String queue) {
		this.declared.remove(queue);
	}

	private void declareShared(Channel channel) throws IOException {
		declareExchange(channel, this.names.tasksExchange(), "direct");
		declareExchange(channel, this.names.archiveExchange(), "direct");
		declareExchange(channel, this.names.cancelExchange(), "fanout");
		declareExchange(channel, this.names.dueExchange(), "topic");
		declareQueue(channel, this.names.controlStream(), Map.of("x-queue-type", "stream"));
		// small segments: a stream drops whole segments once they are older than its age limit
		declareQueue(channel, this.names.heartbeatStream(), Map.of("x-queue-type", "stream", "x-max-age",
				RabbitWorkerRegistry.WINDOW.toSeconds() + "s", "x-stream-max-segment-size-bytes", 1024 * 1024));
		// bounded by bytes in small segments; the schedule store's snapshots keep a truncated log whole
		declareQueue(channel, this.names.scheduleStream(), Map.of("x-queue-type", "stream", "x-max-length-bytes",
				SCHEDULE_STREAM_BYTES, "x-stream-max-segment-size-bytes", SCHEDULE_STREAM_BYTES / 16));
		for (int level = 0; level < RabbitNames.LEVELS; level++) {
			String name = this.names.delayLevel(level);
			String next = (level == 0) ? this.names.dueExchange() : this.names.delayLevel(level - 1);
			declareExchange(channel, name, "topic");
			Map<String, Object> arguments = typed(this.settings.queueType());
			arguments.put("x-message-ttl", (1L << level) * 1000);
			arguments.put("x-dead-letter-exchange", next);
			declareQueue(channel, name, arguments);
			channel.queueBind(name, name, RabbitNames.levelBinding(level, 1));
			channel.exchangeBind(next, name, RabbitNames.levelBinding(level, 0));
		}
	}

	private void declareQueue(Channel channel, String queue) throws IOException {
		String archive = this.names.archiveQueue(queue);
		declareQueue(channel, archive, archiveArguments());
		channel.queueBind(archive, this.names.archiveExchange(), queue);
		Map<String, Object> arguments = typed(this.settings.queueType());
		if (this.settings.queueType() == QueueType.QUORUM) {
			arguments.put("x-delivery-limit", this.settings.deliveryLimit());
		}
		arguments.put("x-dead-letter-exchange", this.names.archiveExchange());
		arguments.put("x-dead-letter-routing-key", queue);
		String name = this.names.queue(queue);
		declareQueue(channel, name, arguments);
		channel.queueBind(name, this.names.tasksExchange(), queue);
		channel.queueBind(name, this.names.dueExchange(), RabbitNames.dueBinding(queue));
	}

	/**
	 * A stream, so that the inspector reads it by offset. Streams cap bytes and age, not a count:
	 * {@code worker.archive.max-size} tasks of at most {@link #ARCHIVE_BYTES_PER_TASK} each give the
	 * byte cap, and the archive lists the newest {@code max-size} only.
	 */
	private Map<String, Object> archiveArguments() {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("x-queue-type", "stream");
		arguments.put("x-max-age", this.settings.archiveMaxAge().toSeconds() + "s");
		arguments.put("x-max-length-bytes", (long) this.settings.archiveMaxSize() * ARCHIVE_BYTES_PER_TASK);
		return arguments;
	}

	/** The arguments every queue of the type carries: quorum queues dead-letter at least once. */
	private static Map<String, Object> typed(QueueType type) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		if (type == QueueType.QUORUM) {
			arguments.put("x-queue-type", "quorum");
			arguments.put("x-dead-letter-strategy", "at-least-once");
			arguments.put("x-overflow", "reject-publish");
		}
		else {
			arguments.put("x-queue-type", "classic");
		}
		return arguments;
	}

	private static void declareExchange(Channel channel, String name, String type) throws IOException {
		try {
			channel.exchangeDeclare(name, type, true, false, Map.of());
		}
		catch (IOException ex) {
			throw refused("exchange", name, ex);
		}
	}

	private static void declareQueue(Channel channel, String name, Map<String, Object> arguments) throws IOException {
		try {
			channel.queueDeclare(name, true, false, false, arguments);
		}
		catch (IOException ex) {
			throw refused("queue", name, ex);
		}
	}

	private static IOException refused(String kind, String name, IOException ex) {
		if (ex.getCause() instanceof ShutdownSignalException signal
				&& signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 406) {
			Matcher argument = INEQUIVALENT_ARG.matcher(close.getReplyText());
			String what = argument.find() ? "argument '" + argument.group(1) + "'" : "its arguments";
			throw new RabbitTopologyException("RabbitMQ refused to declare " + kind + " '" + name + "': it exists with a "
					+ "different " + what + " (" + close.getReplyText() + "). Delete it, or choose another "
					+ "worker.rabbitmq.prefix or worker.rabbitmq.queue-type", ex);
		}
		return ex;
	}

	private void withChannel(ChannelAction action) {
		try {
			Channel channel = this.connectionFactory.createConnection().getDelegate().createChannel();
			try {
				action.run(channel);
			}
			finally {
				if (channel.isOpen()) {
					channel.close();
				}
			}
		}
		catch (IOException | TimeoutException ex) {
			throw new RabbitTopologyException("Could not declare Worker's RabbitMQ objects under prefix '"
					+ this.names.prefix() + "': " + ex, ex);
		}
	}

	@FunctionalInterface
	private interface ChannelAction {

		void run(Channel channel) throws IOException;

	}

	/** RabbitMQ refused to declare Worker's objects. */
	static final class RabbitTopologyException extends WorkerException {

		RabbitTopologyException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
