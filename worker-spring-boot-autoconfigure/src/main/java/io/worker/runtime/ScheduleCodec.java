package io.worker.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.MisfirePolicy;
import io.worker.OverlapPolicy;
import io.worker.Schedule;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A schedule as a flat map of text for a {@link io.worker.spi.ScheduleStore}. Every field is
 * written each time (empty when unset), so a store replaces a definition field by field. The
 * payload is kept as JSON and read back as a {@link JsonNode}.
 */
final class ScheduleCodec {

	/** When the schedule was added or last enabled: no tick before it fires. */
	static final String SINCE = "since";

	private final PayloadCodec payloads;

	ScheduleCodec(PayloadCodec payloads) {
		this.payloads = payloads;
	}

	Map<String, String> encode(Schedule schedule, Instant since) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("cron", text(schedule.cron()));
		fields.put("every", (schedule.every() != null) ? String.valueOf(schedule.every().toSeconds()) : "");
		fields.put("zone", schedule.zone().getId());
		fields.put("task", schedule.task());
		fields.put("payload", (schedule.payload() != null) ? PayloadCodec.text(this.payloads.write(schedule.payload())) : "");
		fields.put("queue", text(schedule.queue()));
		fields.put("maxRetries", (schedule.maxRetries() != null) ? String.valueOf(schedule.maxRetries()) : "");
		fields.put("timeout", (schedule.timeout() != null) ? String.valueOf(schedule.timeout().toMillis()) : "");
		fields.put("enabled", String.valueOf(schedule.enabled()));
		fields.put("misfire", schedule.misfire().kind().name());
		fields.put("misfireGrace", String.valueOf(schedule.misfire().grace().toMillis()));
		fields.put("misfireMaxTicks", String.valueOf(schedule.misfire().maxTicks()));
		fields.put("overlap", schedule.overlap().name());
		fields.put(SINCE, String.valueOf(since.toEpochMilli()));
		return fields;
	}

	/**
	 * Read a stored definition.
	 * @throws IllegalArgumentException when it cannot be read
	 */
	Schedule decode(String name, Map<String, String> fields) {
		Schedule.Builder b = Schedule.builder(name);
		String cron = fields.getOrDefault("cron", "");
		if (!cron.isEmpty()) {
			b.cron(cron);
		}
		else {
			b.every(Duration.ofSeconds(Long.parseLong(fields.getOrDefault("every", ""))));
		}
		b.zone(ZoneId.of(fields.getOrDefault("zone", "UTC")));
		b.task(fields.getOrDefault("task", ""));
		String payload = fields.getOrDefault("payload", "");
		if (!payload.isEmpty()) {
			b.payload(this.payloads.read(payload.getBytes(StandardCharsets.UTF_8), JsonNode.class));
		}
		b.queue(fields.get("queue"));
		String maxRetries = fields.getOrDefault("maxRetries", "");
		b.maxRetries(maxRetries.isEmpty() ? null : Integer.valueOf(maxRetries));
		String timeout = fields.getOrDefault("timeout", "");
		b.timeout(timeout.isEmpty() ? null : Duration.ofMillis(Long.parseLong(timeout)));
		b.enabled(Boolean.parseBoolean(fields.getOrDefault("enabled", "true")));
		b.misfire(new MisfirePolicy(MisfirePolicy.Kind.valueOf(fields.getOrDefault("misfire", "SKIP")),
				Duration.ofMillis(Long.parseLong(fields.getOrDefault("misfireGrace", "0"))),
				Integer.parseInt(fields.getOrDefault("misfireMaxTicks", "0"))));
		b.overlap(OverlapPolicy.valueOf(fields.getOrDefault("overlap", "ALLOW")));
		return b.build();
	}

	static Instant since(Map<String, String> fields) {
		String since = fields.getOrDefault(SINCE, "");
		return since.isEmpty() ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(since));
	}

	/** The definition without its since, to tell whether a schedule changed. */
	static Map<String, String> withoutSince(Map<String, String> fields) {
		Map<String, String> copy = new LinkedHashMap<>(fields);
		copy.remove(SINCE);
		return copy;
	}

	private static String text(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
