package io.worker.backend.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RabbitMessageCodec}.
 */
class RabbitMessageCodecTests {

	private final TaskMessage full = new TaskMessage("id-1", "mail:send", "emails",
			"{\"to\":\"ada\"}".getBytes(StandardCharsets.UTF_8), Map.of("traceparent", "00-abc-01"), 5, 2,
			Duration.ofSeconds(30), Instant.parse("2030-01-01T00:00:00.123456Z"), "mail:send:ada", Duration.ofHours(1),
			Duration.ofDays(1), Instant.parse("2029-12-31T23:00:00Z"), "boom", Instant.parse("2029-12-31T23:30:00Z"));

	@Test
	void everyFieldComesBackExactly() {
		TaskMessage read = RabbitMessageCodec.read(RabbitMessageCodec.headers(this.full), this.full.payload());

		assertThat(read).usingRecursiveComparison().isEqualTo(this.full);
	}

	@Test
	void optionalFieldsMayBeAbsent() {
		TaskMessage minimal = new TaskMessage("id-2", "t", "q", new byte[0], Map.of(), null, 0, null, null, null, null,
				null, Instant.parse("2030-01-01T00:00:00Z"), null, null);

		Map<String, String> headers = RabbitMessageCodec.headers(minimal);

		assertThat(headers).containsOnlyKeys("worker-id", "worker-type", "worker-queue", "worker-retried",
				"worker-enqueued-at");
		assertThat(RabbitMessageCodec.read(headers, new byte[0])).usingRecursiveComparison().isEqualTo(minimal);
	}

	@Test
	void aLongErrorIsCutToFitInAFrame() {
		TaskMessage failed = this.full.failed("x".repeat(100_000), Instant.now());

		assertThat(RabbitMessageCodec.headers(failed).get("worker-last-error"))
			.hasSize(RabbitMessageCodec.MAX_ERROR_LENGTH + 1);
	}

	@Test
	void aMissingOrBadHeaderIsRefusedNamingIt() {
		Map<String, String> headers = new HashMap<>(RabbitMessageCodec.headers(this.full));
		headers.remove("worker-type");
		assertThatIllegalArgumentException().isThrownBy(() -> RabbitMessageCodec.read(headers, new byte[0]))
			.withMessageContaining("worker-type");

		headers.put("worker-type", "t");
		headers.put("worker-retried", "two");
		assertThatIllegalArgumentException().isThrownBy(() -> RabbitMessageCodec.read(headers, new byte[0]))
			.withMessageContaining("worker-retried")
			.withMessageContaining("two");
	}

}
