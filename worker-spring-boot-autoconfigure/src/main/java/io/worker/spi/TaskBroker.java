package io.worker.spi;

/**
 * A backend that pushes tasks to the runtime (RabbitMQ, Kafka). The broker is only a transport:
 * its listener threads hand each delivery to the runtime's {@link DeliverySink} and return at
 * once; the runtime's worker pool runs the handler, decides retries, delays and archiving, and
 * settles the delivery through {@link Delivery}.
 * <p>
 * The settlement contract: a broker acknowledges (or commits) a delivery only inside a settling
 * method of {@link Delivery} that the runtime called, or once the stage returned by
 * {@link DeliverySink#offer} completed normally. When that stage completes exceptionally the
 * settlement failed or the delivery was abandoned: the broker must make the message deliverable
 * again (nack and requeue, or no commit), counting one more delivery. A broker adds no retry policy
 * of its own (no retry interceptor, no error handler retries): a retry is the runtime calling
 * {@link Delivery#retry}, and the broker is the delay transport for it.
 * <p>
 * Lifecycle: {@link #start} once; at shutdown {@link #stopConsuming()}, then the runtime drains,
 * interrupts and requeues what it holds (deliveries stay settle-able meanwhile), then {@link #stop()}.
 */
public interface TaskBroker extends TaskBackend {

	/**
	 * Start consuming the context's queues and offering their deliveries to the sink.
	 * @param context the queues and settings of the worker server
	 * @param sink where to offer deliveries; it never blocks and never runs the handler on the caller
	 * @throws UnsupportedSettingException when the broker cannot honour a setting of the context
	 */
	void start(BrokerContext context, DeliverySink sink);

	/**
	 * Stop taking new deliveries (cancel consumers, stop fetching). Deliveries already offered must
	 * stay settle-able until {@link #stop()}.
	 */
	void stopConsuming();

	/** Release the broker's consumers and connections; called after the runtime drained. */
	void stop();

}
