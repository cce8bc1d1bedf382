package io.worker.backend.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.worker.WorkerInfo;
import io.worker.spi.WorkerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live worker servers, from the heartbeats each writes to the compacted heartbeat topic
 * ({@code <prefix>.workers}) keyed by its id: the last heartbeat of a server counts, a server whose
 * heartbeat is older than its time to live is gone, and one that stopped gracefully left a tombstone.
 * A heartbeat expired for more than {@link #FORGET_AFTER} (a crashed server) is tombstoned by the
 * next listing, so the topic does not keep dead servers for ever.
 */
final class KafkaWorkerRegistry implements WorkerRegistry, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KafkaWorkerRegistry.class);

	static final Duration FORGET_AFTER = Duration.ofHours(1);

	private static final String P = "worker-server-";

	private final KafkaStateTopic heartbeats;

	private final Clock clock;

	KafkaWorkerRegistry(KafkaStateTopic heartbeats, Clock clock) {
		this.heartbeats = heartbeats;
		this.clock = clock;
	}

	@Override
	public void heartbeat(WorkerInfo worker, Duration ttl) {
		Map<String, String> value = new LinkedHashMap<>();
		value.put(P + "host", worker.host());
		value.put(P + "pid", Long.toString(worker.pid()));
		value.put(P + "concurrency", Integer.toString(worker.concurrency()));
		value.put(P + "queues", worker.queues()
			.entrySet()
			.stream()
			.map((queue) -> queue.getKey() + "=" + queue.getValue())
			.collect(Collectors.joining(",")));
		value.put(P + "strict-priority", Boolean.toString(worker.strictPriority()));
		value.put(P + "started-at", worker.startedAt().toString());
		value.put(P + "active", Integer.toString(worker.activeTasks()));
		value.put(P + "heartbeat", worker.lastHeartbeat().toString());
		value.put(P + "expires-at", worker.lastHeartbeat().plus(ttl).toString());
		this.heartbeats.putQuietly(worker.id(), value);
	}

	@Override
	public void unregister(String workerId) {
		this.heartbeats.removeQuietly(workerId);
	}

	/** The servers alive now, by id. */
	List<WorkerInfo> workers() {
		Instant now = this.clock.instant();
		List<WorkerInfo> alive = new ArrayList<>();
		this.heartbeats.entries().forEach((id, value) -> {
			try {
				Instant expiresAt = Instant.parse(value.get(P + "expires-at"));
				if (expiresAt.isAfter(now)) {
					alive.add(parse(id, value));
				}
				else if (expiresAt.plus(FORGET_AFTER).isBefore(now)) {
					this.heartbeats.removeQuietly(id);
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Ignoring an unreadable heartbeat of '{}': {}", id, ex.toString());
			}
		});
		alive.sort(Comparator.comparing(WorkerInfo::id));
		return alive;
	}

	private static WorkerInfo parse(String id, Map<String, String> value) {
		Map<String, Integer> queues = new LinkedHashMap<>();
		String listed = value.getOrDefault(P + "queues", "");
		for (String queue : listed.isEmpty() ? new String[0] : listed.split(",")) {
			int equals = queue.lastIndexOf('=');
			queues.put(queue.substring(0, equals), Integer.parseInt(queue.substring(equals + 1)));
		}
		return new WorkerInfo(id, value.get(P + "host"), Long.parseLong(value.get(P + "pid")),
				Integer.parseInt(value.get(P + "concurrency")), queues,
				Boolean.parseBoolean(value.get(P + "strict-priority")), Instant.parse(value.get(P + "started-at")),
				Integer.parseInt(value.get(P + "active")), Instant.parse(value.get(P + "heartbeat")));
	}

	@Override
	public void close() {
		this.heartbeats.close();
	}

}
