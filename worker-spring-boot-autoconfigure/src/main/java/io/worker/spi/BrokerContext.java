package io.worker.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link TaskBroker} is told when it starts: which queues to consume and how the worker
 * server will run them.
 *
 * @param workerId the id of the worker server (for consumer tags, client ids, heartbeats)
 * @param queueWeights the queues to consume, in priority order, with their weights
 *     ({@code worker.queues}, plus every queue a handler's tasks go to, with weight 1)
 * @param strictPriority whether queues are taken in strict priority order
 *     ({@code worker.server.strict-priority})
 * @param queueCaps the most tasks of a queue running at once, for capped queues
 *     ({@code worker.queues.<name>.max-concurrency})
 * @param rateLimits the rate limit of each limited queue ({@code worker.queues.<name>.rate-limit})
 * @param concurrency the size of the worker pool ({@code worker.server.concurrency})
 * @param shutdownTimeout how long running tasks may finish at shutdown
 *     ({@code worker.server.shutdown-timeout})
 */
public record BrokerContext(String workerId, Map<String, Integer> queueWeights, boolean strictPriority,
		Map<String, Integer> queueCaps, Map<String, RateLimit> rateLimits, int concurrency, Duration shutdownTimeout) {

	/** The smallest buffer of deliveries per queue beyond those running. */
	public static final int MIN_BUFFER = 20;

	public BrokerContext {
		queueWeights = Collections.unmodifiableMap(new LinkedHashMap<>(queueWeights));
		queueCaps = Map.copyOf(queueCaps);
		rateLimits = Map.copyOf(rateLimits);
	}

	/** The queues to consume, in priority order. */
	public List<String> queues() {
		return List.copyOf(this.queueWeights.keySet());
	}

	/**
	 * How many offered and unfinished deliveries of the queue the broker may hold at once (AMQP
	 * prefetch, the Kafka in-flight window): the tasks of the queue that can run at once, plus a
	 * buffer of as many again and at least {@value #MIN_BUFFER}, so that a queue's next tasks are
	 * already here while the broker refills, and weighted selection always sees every busy queue.
	 */
	public int prefetch(String queue) {
		int runnable = Math.max(1, Math.min(this.concurrency, this.queueCaps.getOrDefault(queue, this.concurrency)));
		return runnable + Math.max(runnable, MIN_BUFFER);
	}

}
