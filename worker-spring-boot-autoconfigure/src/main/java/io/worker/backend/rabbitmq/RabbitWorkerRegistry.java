package io.worker.backend.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.worker.WorkerInfo;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.backend.rabbitmq.RabbitStreamReader.StreamRecord;
import io.worker.spi.WorkerRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live worker servers, from the heartbeats each appends to the heartbeat stream
 * ({@code <prefix>.heartbeats}, kept {@link #WINDOW}). Listing reads the stream from
 * {@link #WINDOW} ago up to now: the newest record of each server counts, a server that said goodbye
 * or whose last heartbeat is older than its time to live is gone. Nothing is kept in memory, so any
 * instance, a worker or not, lists the same servers.
 * <p>
 * Each heartbeat also carries the server's unacknowledged deliveries per queue (running, or taken
 * and waiting for a free worker thread): the active tasks of a queue are their sum over the live
 * servers, this instance's own counted now rather than as of its last heartbeat.
 */
final class RabbitWorkerRegistry implements WorkerRegistry {

	private static final Logger logger = LoggerFactory.getLogger(RabbitWorkerRegistry.class);

	/** How far back listing reads, and how long the stream keeps heartbeats: above any heartbeat's time to live. */
	static final Duration WINDOW = Duration.ofMinutes(10);

	private static final String ID = "worker-server-id";

	private static final String GONE = "worker-server-gone";

	private static final String ACTIVE_QUEUES = "worker-server-active-queues";

	private final RabbitNames names;

	private final RabbitPublisher publisher;

	private final RabbitStreamReader reader;

	private final Clock clock;

	private final Supplier<Map<String, Integer>> activeHere;

	private volatile @Nullable String localId;

	/**
	 * @param activeHere this instance's unacknowledged deliveries per queue
	 */
	RabbitWorkerRegistry(RabbitNames names, RabbitPublisher publisher, RabbitStreamReader reader, Clock clock,
			Supplier<Map<String, Integer>> activeHere) {
		this.activeHere = activeHere;
		this.names = names;
		this.publisher = publisher;
		this.reader = reader;
		this.clock = clock;
	}

	@Override
	public void heartbeat(WorkerInfo worker, Duration ttl) {
		this.localId = worker.id();
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put(ID, worker.id());
		headers.put("worker-server-host", worker.host());
		headers.put("worker-server-pid", Long.toString(worker.pid()));
		headers.put("worker-server-concurrency", Integer.toString(worker.concurrency()));
		headers.put("worker-server-queues", join(worker.queues()));
		headers.put("worker-server-strict-priority", Boolean.toString(worker.strictPriority()));
		headers.put("worker-server-started-at", worker.startedAt().toString());
		headers.put("worker-server-active", Integer.toString(worker.activeTasks()));
		headers.put("worker-server-heartbeat", worker.lastHeartbeat().toString());
		headers.put("worker-server-expires-at", worker.lastHeartbeat().plus(ttl).toString());
		headers.put(ACTIVE_QUEUES, join(this.activeHere.get()));
		publish(headers);
	}

	@Override
	public void unregister(String workerId) {
		publish(Map.of(ID, workerId, GONE, "true"));
	}

	/** The servers alive now, by id. */
	List<WorkerInfo> workers() {
		Instant now = this.clock.instant();
		return latest(now).values()
			.stream()
			.flatMap((headers) -> alive(headers, now).stream())
			.sorted(Comparator.comparing(WorkerInfo::id))
			.toList();
	}

	/**
	 * The unacknowledged deliveries per queue of the live servers: this instance's now, the others'
	 * as of their last heartbeat.
	 */
	Map<String, Long> activeByQueue() {
		Instant now = this.clock.instant();
		String local = this.localId;
		Map<String, Long> active = new TreeMap<>();
		latest(now).forEach((id, headers) -> {
			if (!id.equals(local) && alive(headers, now).isPresent()) {
				split(headers.getOrDefault(ACTIVE_QUEUES, ""))
					.forEach((queue, count) -> active.merge(queue, count.longValue(), Long::sum));
			}
		});
		this.activeHere.get().forEach((queue, count) -> active.merge(queue, count.longValue(), Long::sum));
		return active;
	}

	/** The newest heartbeat of each server that has not said goodbye, by id. */
	private Map<String, Map<String, String>> latest(Instant now) {
		Map<String, Map<String, String>> latest = new LinkedHashMap<>();
		for (StreamRecord record : this.reader.read(this.names.heartbeatStream(), Date.from(now.minus(WINDOW)))) {
			String id = record.headers().get(ID);
			if (id != null) {
				latest.put(id, record.headers());
			}
		}
		latest.values().removeIf((headers) -> headers.containsKey(GONE));
		return latest;
	}

	private static String join(Map<String, Integer> counts) {
		return counts.entrySet()
			.stream()
			.map((queue) -> queue.getKey() + "=" + queue.getValue())
			.collect(Collectors.joining(","));
	}

	/** {@code name=count,…} back into a map; a malformed item is left out. */
	private static Map<String, Integer> split(String listed) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (String item : listed.isEmpty() ? new String[0] : listed.split(",")) {
			int equals = item.lastIndexOf('=');
			try {
				counts.put(item.substring(0, equals), Integer.parseInt(item.substring(equals + 1)));
			}
			catch (RuntimeException ex) {
				logger.debug("Ignoring item '{}' of a heartbeat: {}", item, ex.toString());
			}
		}
		return counts;
	}

	private void publish(Map<String, Object> headers) {
		this.publisher.await(this.publisher.publish(
				new Outgoing("", this.names.heartbeatStream(), true, headers, new byte[0], null, null,
						RabbitPublisher.JSON)));
	}

	/** The server a heartbeat describes if it has not expired; none for a record no Worker wrote. */
	private static Optional<WorkerInfo> alive(Map<String, String> headers, Instant now) {
		try {
			if (!Instant.parse(headers.get("worker-server-expires-at")).isAfter(now)) {
				return Optional.empty();
			}
			return Optional.of(parse(headers));
		}
		catch (RuntimeException ex) {
			logger.debug("Ignoring an unreadable heartbeat: {}", ex.toString());
			return Optional.empty();
		}
	}

	private static WorkerInfo parse(Map<String, String> headers) {
		Map<String, Integer> queues = split(headers.getOrDefault("worker-server-queues", ""));
		return new WorkerInfo(headers.get(ID), headers.get("worker-server-host"),
				Long.parseLong(headers.get("worker-server-pid")),
				Integer.parseInt(headers.get("worker-server-concurrency")), queues,
				Boolean.parseBoolean(headers.get("worker-server-strict-priority")),
				Instant.parse(headers.get("worker-server-started-at")),
				Integer.parseInt(headers.get("worker-server-active")),
				Instant.parse(headers.get("worker-server-heartbeat")));
	}

}
