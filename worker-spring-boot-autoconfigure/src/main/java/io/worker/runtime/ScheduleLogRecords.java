package io.worker.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.worker.ScheduleFire;
import io.worker.runtime.ScheduleLogState.Snapshot;
import io.worker.spi.ScheduleStore.StoredSchedule;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The records of a schedule log, as compact JSON objects whose {@code t} names the kind: {@code save}
 * (name {@code n}, definition {@code d}), {@code remove}, {@code claim} (tick {@code k} in epoch
 * milliseconds, claim id {@code id}), {@code advance}, {@code fire} (task id {@code task}, queue
 * {@code q}, fired at {@code at}, manual {@code m}, history size {@code h}) and {@code snap} (the
 * position {@code base} it is the state at, and every schedule {@code s}).
 */
final class ScheduleLogRecords {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ScheduleLogRecords() {
	}

	/** A record read back from the log. */
	sealed interface LogRecord permits Save, Remove, Claim, Advance, Fire, Snap {

	}

	record Save(String name, Map<String, String> definition) implements LogRecord {
	}

	record Remove(String name) implements LogRecord {
	}

	record Claim(String name, Instant tick, String id) implements LogRecord {
	}

	record Advance(String name, Instant tick) implements LogRecord {
	}

	record Fire(String name, ScheduleFire fire, boolean manual, int historySize) implements LogRecord {
	}

	/** The state at position {@code base}: the fold of every record up to it, snapshots aside. */
	record Snap(long base, List<Snapshot> schedules) implements LogRecord {
	}

	static byte[] encode(LogRecord record) {
		ObjectNode node = JSON.createObjectNode();
		if (record instanceof Save save) {
			node.put("t", "save").put("n", save.name()).set("d", definition(save.definition()));
		}
		else if (record instanceof Remove remove) {
			node.put("t", "remove").put("n", remove.name());
		}
		else if (record instanceof Claim claim) {
			node.put("t", "claim").put("n", claim.name()).put("k", claim.tick().toEpochMilli()).put("id", claim.id());
		}
		else if (record instanceof Advance advance) {
			node.put("t", "advance").put("n", advance.name()).put("k", advance.tick().toEpochMilli());
		}
		else if (record instanceof Fire fire) {
			fire(node.put("t", "fire").put("n", fire.name()), fire.fire()).put("m", fire.manual())
				.put("h", fire.historySize());
		}
		else if (record instanceof Snap snap) {
			ArrayNode schedules = node.put("t", "snap").put("base", snap.base()).putArray("s");
			for (Snapshot schedule : snap.schedules()) {
				ObjectNode entry = schedules.addObject().put("n", schedule.schedule().name());
				entry.set("d", definition(schedule.schedule().definition()));
				putInstant(entry, "last", schedule.schedule().lastTick());
				putInstant(entry, "claimed", schedule.claimed());
				ArrayNode history = entry.putArray("h");
				schedule.schedule().history().forEach((fire) -> fire(history.addObject(), fire));
			}
		}
		return JSON.writeValueAsBytes(node);
	}

	/**
	 * Read a record.
	 * @throws IllegalArgumentException when the bytes are not a record of a known kind
	 */
	static LogRecord decode(byte[] bytes) {
		JsonNode node;
		try {
			node = JSON.readTree(bytes);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException("not a JSON object");
		}
		String kind = text(node, "t");
		switch (kind) {
			case "save":
				return new Save(text(node, "n"), definition(node.get("d")));
			case "remove":
				return new Remove(text(node, "n"));
			case "claim":
				return new Claim(text(node, "n"), instant(node, "k"), text(node, "id"));
			case "advance":
				return new Advance(text(node, "n"), instant(node, "k"));
			case "fire":
				return new Fire(text(node, "n"), fire(node), node.path("m").asBoolean(false), number(node, "h").intValue());
			case "snap":
				return snap(node);
			default:
				throw new IllegalArgumentException("unknown record kind '" + kind + "'");
		}
	}

	private static Snap snap(JsonNode node) {
		List<Snapshot> schedules = new ArrayList<>();
		for (JsonNode entry : array(node, "s")) {
			List<ScheduleFire> history = new ArrayList<>();
			for (JsonNode fire : array(entry, "h")) {
				history.add(fire(fire));
			}
			schedules.add(new Snapshot(new StoredSchedule(text(entry, "n"), definition(entry.get("d")),
					optionalInstant(entry, "last"), history), optionalInstant(entry, "claimed")));
		}
		return new Snap(number(node, "base").longValue(), schedules);
	}

	private static ObjectNode fire(ObjectNode node, ScheduleFire fire) {
		return node.put("k", fire.tick().toEpochMilli())
			.put("task", fire.taskId())
			.put("q", fire.queue())
			.put("at", fire.firedAt().toEpochMilli());
	}

	private static ScheduleFire fire(JsonNode node) {
		return new ScheduleFire(instant(node, "k"), text(node, "task"), text(node, "q"), instant(node, "at"));
	}

	private static ObjectNode definition(Map<String, String> definition) {
		ObjectNode node = JSON.createObjectNode();
		definition.forEach(node::put);
		return node;
	}

	private static Map<String, String> definition(@Nullable JsonNode node) {
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException("missing definition 'd'");
		}
		Map<String, String> definition = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			if (!field.getValue().isString()) {
				throw new IllegalArgumentException("definition field '" + field.getKey() + "' is not text");
			}
			definition.put(field.getKey(), field.getValue().asString());
		}
		return definition;
	}

	private static void putInstant(ObjectNode node, String field, @Nullable Instant instant) {
		if (instant != null) {
			node.put(field, instant.toEpochMilli());
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw new IllegalArgumentException("missing text '" + field + "'");
		}
		return value.asString();
	}

	private static Number number(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isIntegralNumber()) {
			throw new IllegalArgumentException("missing number '" + field + "'");
		}
		return value.numberValue();
	}

	private static Instant instant(JsonNode node, String field) {
		return Instant.ofEpochMilli(number(node, field).longValue());
	}

	private static @Nullable Instant optionalInstant(JsonNode node, String field) {
		return node.has(field) ? instant(node, field) : null;
	}

	private static Iterable<JsonNode> array(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isArray()) {
			throw new IllegalArgumentException("missing array '" + field + "'");
		}
		return value;
	}

}
