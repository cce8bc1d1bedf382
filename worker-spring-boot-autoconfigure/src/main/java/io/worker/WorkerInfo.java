package io.worker;

import java.time.Instant;
import java.util.Map;

/**
 * A running worker server, as it registers itself with the backend.
 *
 * @param id a unique id for this server process
 * @param host the host name
 * @param pid the process id
 * @param concurrency the size of its worker pool
 * @param queues the queues it processes, with their weights
 * @param strictPriority whether it takes queues in strict priority order
 * @param startedAt when it started
 * @param activeTasks how many tasks it is running now
 * @param lastHeartbeat when it last reported
 */
public record WorkerInfo(String id, String host, long pid, int concurrency, Map<String, Integer> queues,
		boolean strictPriority, Instant startedAt, int activeTasks, Instant lastHeartbeat) {
}
