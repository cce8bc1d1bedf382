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
import java.util.stream.Collectors;

import io.worker.WorkerInfo;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.backend.rabbitmq.RabbitStreamReader.StreamRecord;
import io.worker.spi.WorkerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live worker servers, from the heartbeats each appends to the heartbeat stream
 * ({@code <prefix>.heartbeats}, kept {@link #WINDOW}). Listing reads the stream from
 * {@link #WINDOW} ago up to now: the newest record of each server counts, a server that said goodbye
 * or whose last heartbeat is older than its time to live is gone. Nothing is kept in memory, so any
 * instance, a worker or not, lists the same servers.
 */
final class RabbitWorkerRegistry implements WorkerRegistry {

	private static final Logger logger = LoggerFactory.getLogger(RabbitWorkerRegistry.class);

	/** How far back listing reads, and how long the stream keeps heartbeats: above any heartbeat's time to live. */
	static final Duration WINDOW = Duration.ofMinutes(10);

	private static final String ID = "worker-server-id";

	private static final String GONE = "worker-server-gone";

	private final RabbitNames names;

	private final RabbitPublisher publisher;

	private final RabbitStreamReader reader;

	private final Clock clock;

	RabbitWorkerRegistry(RabbitNames names, RabbitPublisher publisher, RabbitStreamReader reader, Clock clock) {
		this.names = names;
		this.publisher = publisher;
		this.reader = reader;
		this.clock = clock;
	}

	@Override
	public void heartbeat(WorkerInfo worker, Duration ttl) {
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put(ID, worker.id());
		headers.put("worker-server-host", worker.host());
		headers.put("worker-server-pid", Long.toString(worker.pid()));
		headers.put("worker-server-concurrency", Integer.toString(worker.concurrency()));
		headers.put("worker-server-queues", worker.queues()
			.entrySet()
			.stream()
			.map((queue) -> queue.getKey() + "=" + queue.getValue())
			.collect(Collectors.joining(",")));
		headers.put("worker-server-strict-priority", Boolean.toString(worker.strictPriority()));
		headers.put("worker-server-started-at", worker.startedAt().toString());
		headers.put("worker-server-active", Integer.toString(worker.activeTasks()));
		headers.put("worker-server-heartbeat", worker.lastHeartbeat().toString());
		headers.put("worker-server-expires-at", worker.lastHeartbeat().plus(ttl).toString());
		publish(headers);
	}

	@Override
	public void unregister(String workerId) {
		publish(Map.of(ID, workerId, GONE, "true"));
	}

	/** The servers alive now, by id. */
	List<WorkerInfo> workers() {
		Instant now = this.clock.instant();
		Map<String, Map<String, String>> latest = new LinkedHashMap<>();
		for (StreamRecord record : this.reader.read(this.names.heartbeatStream(), Date.from(now.minus(WINDOW)))) {
			String id = record.headers().get(ID);
			if (id != null) {
				latest.put(id, record.headers());
			}
		}
		return latest.values()
			.stream()
			.filter((headers) -> !headers.containsKey(GONE))
			.flatMap((headers) -> alive(headers, now).stream())
			.sorted(Comparator.comparing(WorkerInfo::id))
			.toList();
	}

	private void publish(Map<String, Object> headers) {
		this.publisher.await(this.publisher.publish(
				new Outgoing("", this.names.heartbeatStream(), true, headers, new byte[0], null, null)));
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
		Map<String, Integer> queues = new LinkedHashMap<>();
		String listed = headers.getOrDefault("worker-server-queues", "");
		for (String queue : listed.isEmpty() ? new String[0] : listed.split(",")) {
			int equals = queue.lastIndexOf('=');
			try {
				queues.put(queue.substring(0, equals), Integer.parseInt(queue.substring(equals + 1)));
			}
			catch (RuntimeException ex) {
				logger.debug("Ignoring queue '{}' of a heartbeat: {}", queue, ex.toString());
			}
		}
		return new WorkerInfo(headers.get(ID), headers.get("worker-server-host"),
				Long.parseLong(headers.get("worker-server-pid")),
				Integer.parseInt(headers.get("worker-server-concurrency")), queues,
				Boolean.parseBoolean(headers.get("worker-server-strict-priority")),
				Instant.parse(headers.get("worker-server-started-at")),
				Integer.parseInt(headers.get("worker-server-active")),
				Instant.parse(headers.get("worker-server-heartbeat")));
	}

}
