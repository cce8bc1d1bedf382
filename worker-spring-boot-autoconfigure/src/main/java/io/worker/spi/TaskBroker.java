package io.worker.spi;

import java.util.function.Consumer;

/**
 * A backend that pushes tasks to the runtime (RabbitMQ, Kafka): its listener containers deliver
 * each task to the handler the runtime gives it, which runs the task and settles the delivery
 * before returning, so the broker's own acknowledgement follows the outcome.
 */
public interface TaskBroker extends TaskBackend {

	/**
	 * Start delivering tasks.
	 * @param handler runs one delivery to its end (settled) on the calling thread
	 */
	void start(Consumer<Delivery> handler);

	/** Stop delivering new tasks; deliveries in progress are allowed to finish. */
	void stop();

}
