package io.worker.spi;

import java.util.concurrent.CompletionStage;

/**
 * Where a {@link TaskBroker} hands its deliveries to the runtime. The runtime buffers each offered
 * delivery until a worker slot, the queue's cap and its rate limit allow it to run, then runs it on
 * its own pool, never on the offering thread.
 * <p>
 * Flow control is the broker's: it keeps at most {@link BrokerContext#prefetch(String)} offered
 * and not yet finished deliveries per queue (AMQP prefetch, Kafka pause/resume), counting a
 * delivery finished when its stage completes.
 */
public interface DeliverySink {

	/**
	 * Offer a delivery to the runtime; returns at once.
	 * @param delivery the delivery
	 * @return a stage that completes normally once the delivery was settled (completed, retried,
	 *     archived or handed back), and exceptionally when its settlement failed, its lease was lost
	 *     or the runtime could not take it: then the broker must make it deliverable again
	 */
	CompletionStage<Void> offer(Delivery delivery);

	/**
	 * The broker dropped a task it could keep nowhere, not even in its archive (it has logged it as an
	 * error); for the runtime to count.
	 * @param queue the task's queue
	 * @param reason a short, fixed reason, such as {@code too-large}
	 */
	default void dropped(String queue, String reason) {
	}

}
