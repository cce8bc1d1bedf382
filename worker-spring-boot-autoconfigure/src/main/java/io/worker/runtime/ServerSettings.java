package io.worker.runtime;

import java.time.Duration;
import java.util.Map;

import io.worker.spi.RateLimit;

/**
 * How a worker server runs.
 *
 * @param concurrency the size of the worker pool
 * @param queueWeights the configured queues and their weights
 * @param strictPriority whether queues are taken in strict priority order
 * @param queueCaps the most tasks of a queue running at once, for capped queues
 * @param rateLimits the rate limit of each limited queue
 * @param shutdownTimeout how long running tasks may finish at shutdown
 * @param forwardInterval how often due tasks are moved to pending
 * @param recoverInterval how often expired leases are looked for
 * @param janitorInterval how often expired tasks are deleted
 * @param heartbeatInterval how often the server registers itself and extends leases
 */
public record ServerSettings(int concurrency, Map<String, Integer> queueWeights, boolean strictPriority,
		Map<String, Integer> queueCaps, Map<String, RateLimit> rateLimits, Duration shutdownTimeout,
		Duration forwardInterval, Duration recoverInterval, Duration janitorInterval, Duration heartbeatInterval) {
}
