package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.worker.ScheduleFire;
import io.worker.spi.ScheduleStore;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.types.Expiration;

/**
 * The schedules of a namespace. A tick is claimed with {@code SET NX PX}, so one instance wins
 * it; the last tick and the history change in one script that does nothing once the schedule is
 * removed.
 *
 * <pre>
 * ns:{sched}:names                    set of schedule names
 * ns:{sched}:def:&lt;name&gt;             hash of the definition, and the last tick (ms) in _lastTick
 * ns:{sched}:hist:&lt;name&gt;            list of fires, newest first (tick, fired at, queue and task id)
 * ns:{sched}:claim:&lt;tickMs&gt;:&lt;name&gt;   a tick's claim, with a TTL
 * </pre>
 * All share the hash tag {@code {sched}}, so that on Redis Cluster the script that touches a
 * schedule's hash and history finds both in one slot whatever the name holds (braces included);
 * schedules are few and change once per tick, so one slot carries them easily.
 */
final class RedisScheduleStore implements ScheduleStore {

	static final String LAST_TICK = "_lastTick";

	/** Between the fields of a history entry: the ASCII unit separator, which no name holds. */
	private static final String SEPARATOR = "\u001f";

	private static final RedisScripts.Script ADVANCE = RedisScripts.Script.load("schedule_advance");

	private final RedisScripts redis;

	private final String namespace;

	RedisScheduleStore(RedisScripts redis, String namespace) {
		this.redis = redis;
		this.namespace = namespace;
	}

	@Override
	public void save(String name, Map<String, String> definition) {
		Map<byte[], byte[]> fields = new LinkedHashMap<>();
		definition.forEach((key, value) -> fields.put(RedisTaskCodec.bytes(key), RedisTaskCodec.bytes(value)));
		this.redis.pipelined((connection) -> {
			// every field is written each time, so one HSET replaces the definition atomically
			connection.hashCommands().hMSet(RedisTaskCodec.bytes(definitionKey(name)), fields);
			connection.setCommands().sAdd(RedisTaskCodec.bytes(namesKey()), RedisTaskCodec.bytes(name));
		});
	}

	@Override
	public boolean remove(String name) {
		List<Object> replies = this.redis.pipelined((connection) -> {
			connection.keyCommands().del(RedisTaskCodec.bytes(definitionKey(name)));
			connection.keyCommands().del(RedisTaskCodec.bytes(historyKey(name)));
			connection.setCommands().sRem(RedisTaskCodec.bytes(namesKey()), RedisTaskCodec.bytes(name));
		});
		return replies.get(0) instanceof Long deleted && deleted > 0;
	}

	@Override
	public Optional<StoredSchedule> get(String name) {
		List<StoredSchedule> found = read(List.of(name));
		return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
	}

	@Override
	public List<StoredSchedule> list() {
		Set<byte[]> members = this.redis
			.execute((connection) -> connection.setCommands().sMembers(RedisTaskCodec.bytes(namesKey())));
		if (members == null || members.isEmpty()) {
			return List.of();
		}
		return read(members.stream().map(RedisTaskCodec::text).sorted().toList());
	}

	@Override
	public boolean claimTick(String name, Instant tick, Duration ttl) {
		Boolean won = this.redis.execute((connection) -> connection.stringCommands()
			.set(RedisTaskCodec.bytes(claimKey(name, tick)), RedisTaskCodec.bytes("1"),
					Expiration.milliseconds(Math.max(1, ttl.toMillis())), SetOption.ifAbsent()));
		return Boolean.TRUE.equals(won);
	}

	@Override
	public void advance(String name, Instant tick) {
		this.redis.evalLong(ADVANCE.keys(definitionKey(name), historyKey(name)).args(tick.toEpochMilli(), "", 0));
	}

	@Override
	public void recordFire(String name, ScheduleFire fire, boolean manual, int historySize) {
		String entry = fire.tick().toEpochMilli() + SEPARATOR + fire.firedAt().toEpochMilli() + SEPARATOR + fire.queue()
				+ SEPARATOR + fire.taskId();
		this.redis.evalLong(ADVANCE.keys(definitionKey(name), historyKey(name))
			.args(manual ? "" : String.valueOf(fire.tick().toEpochMilli()), entry, Math.max(1, historySize)));
	}

	private List<StoredSchedule> read(List<String> names) {
		List<Object> replies = this.redis.pipelined((connection) -> names.forEach((name) -> {
			connection.hashCommands().hGetAll(RedisTaskCodec.bytes(definitionKey(name)));
			connection.listCommands().lRange(RedisTaskCodec.bytes(historyKey(name)), 0, -1);
		}));
		List<StoredSchedule> schedules = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			if (!(replies.get(2 * i) instanceof Map<?, ?> hash) || hash.isEmpty()) {
				continue; // removed meanwhile, or not a hash: not a schedule
			}
			Map<String, String> definition = new LinkedHashMap<>();
			hash.forEach((key, value) -> definition.put(RedisTaskCodec.text((byte[]) key),
					RedisTaskCodec.text((byte[]) value)));
			Instant lastTick = millis(definition.remove(LAST_TICK));
			List<ScheduleFire> history = new ArrayList<>();
			if (replies.get(2 * i + 1) instanceof List<?> entries) {
				for (Object entry : entries) {
					ScheduleFire fire = fire(RedisTaskCodec.text((byte[]) entry));
					if (fire != null) {
						history.add(fire);
					}
				}
			}
			schedules.add(new StoredSchedule(names.get(i), definition, lastTick, history));
		}
		return schedules;
	}

	private static @Nullable ScheduleFire fire(String entry) {
		String[] parts = entry.split(SEPARATOR, 4);
		Instant tick = (parts.length == 4) ? millis(parts[0]) : null;
		Instant firedAt = (parts.length == 4) ? millis(parts[1]) : null;
		return (tick != null && firedAt != null) ? new ScheduleFire(tick, parts[3], parts[2], firedAt) : null;
	}

	private static @Nullable Instant millis(@Nullable String text) {
		try {
			return (text != null) ? Instant.ofEpochMilli(Long.parseLong(text)) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private String namesKey() {
		return this.namespace + ":{sched}:names";
	}

	private String definitionKey(String name) {
		return this.namespace + ":{sched}:def:" + name;
	}

	private String historyKey(String name) {
		return this.namespace + ":{sched}:hist:" + name;
	}

	private String claimKey(String name, Instant tick) {
		return this.namespace + ":{sched}:claim:" + tick.toEpochMilli() + ":" + name;
	}

}
