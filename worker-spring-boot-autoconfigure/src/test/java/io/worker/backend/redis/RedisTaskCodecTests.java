package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.worker.TaskDetail;
import io.worker.TaskState;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The task hash's fields: short names that still read under the long names of earlier versions,
 * and epoch milliseconds that read back exactly, without date parsing.
 */
class RedisTaskCodecTests {

	@Test
	void instantsAreEpochMillisecondsAndComeBackExactly() {
		Instant whole = Instant.parse("2030-01-15T10:00:00.123Z");
		Instant fine = Instant.parse("2030-01-15T10:00:00.123456789Z");
		Instant beforeEpoch = Instant.ofEpochSecond(-1, 998_500_000);
		assertThat(RedisTimes.millis(whole)).isEqualTo(Long.toString(whole.toEpochMilli()));
		assertThat(RedisTimes.millis(fine)).isEqualTo(whole.toEpochMilli() + ".456789");
		for (Instant instant : new Instant[] { whole, fine, beforeEpoch, Instant.EPOCH, Instant.MAX, Instant.MIN }) {
			assertThat(RedisTimes.instant(RedisTimes.millis(instant))).isEqualTo(instant);
		}
	}

	@Test
	void theEnqueueTimeIsAnIntegerOfEpochNanosecondsAndComesBackExactly() {
		Instant fine = Instant.parse("2030-01-15T10:00:00.123456789Z");
		assertThat(RedisTimes.nanos(fine)).isEqualTo("1894701600123456789");
		for (Instant instant : new Instant[] { fine, Instant.ofEpochSecond(-1, 998_500_000), Instant.EPOCH,
				Instant.MAX, Instant.MIN }) {
			assertThat(RedisTimes.epochNanos(RedisTimes.nanos(instant))).isEqualTo(instant);
		}
		Map<String, byte[]> hash = hash(RedisTaskCodec.encode(everyField()));
		assertThat(RedisTaskCodec.text(hash.get("e"))).isEqualTo("1894701600000123000");
	}

	@Test
	void durationsAreMillisecondsAndComeBackExactly() {
		assertThat(RedisTimes.millis(Duration.ofSeconds(30))).isEqualTo("30000");
		for (Duration duration : new Duration[] { Duration.ofSeconds(30), Duration.ofNanos(1_500_001),
				Duration.ofMillis(-5), Duration.ofSeconds(Long.MAX_VALUE) }) {
			assertThat(RedisTimes.duration(RedisTimes.millis(duration))).isEqualTo(duration);
		}
	}

	@Test
	void isoTextWrittenByEarlierVersionsIsStillRead() {
		Map<String, byte[]> hash = Map.of("type", bytes("email"),
				"enqueued_at", bytes("2030-01-15T10:00:00.123456Z"), "timeout", bytes("PT30S"),
				"last_failed_at", bytes("2030-01-15T10:01:00Z"));
		TaskMessage message = RedisTaskCodec.decode("t1", "default", hash);
		assertThat(message.enqueuedAt()).isEqualTo(Instant.parse("2030-01-15T10:00:00.123456Z"));
		assertThat(message.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(message.lastFailedAt()).isEqualTo(Instant.parse("2030-01-15T10:01:00Z"));
	}

	@Test
	void fieldsOnlyTheCodecReadsHaveShortNames() {
		Map<String, byte[]> hash = hash(RedisTaskCodec.encode(everyField()));
		assertThat(hash.keySet()).containsExactly("t", "p", "max_retries", "to", "dl", "unique_key", "ut", "rt", "e",
				"k", "h:traceparent", "retried", "last_error", "last_failed_at");
		assertThat(RedisTaskCodec.decode("t-1", "q", hash)).usingRecursiveComparison().isEqualTo(everyField());
	}

	@Test
	void aHashUnderTheLongNamesOfTheEarlierVersionReadsTheSame() {
		Map<String, byte[]> hash = new LinkedHashMap<>();
		hash.put("type", bytes("email"));
		hash.put("payload", bytes("{\"to\":\"a@b\"}"));
		hash.put("max_retries", bytes("5"));
		hash.put("timeout", bytes("30000"));
		hash.put("deadline", bytes("1894708800000"));
		hash.put("unique_key", bytes("email:abc"));
		hash.put("unique_ttl", bytes("3600000"));
		hash.put("retention", bytes("86400000"));
		hash.put("enqueued_at", bytes("1894701600000.123000"));
		hash.put("ordering_key", bytes("customer-7"));
		hash.put("h:traceparent", bytes("00-abc-01"));
		hash.put("retried", bytes("2"));
		hash.put("last_error", bytes("boom"));
		hash.put("last_failed_at", bytes("1894701660000"));
		hash.put("state", bytes("pending"));
		assertThat(RedisTaskCodec.decode("t-1", "q", hash)).usingRecursiveComparison().isEqualTo(everyField());
		assertThat(RedisTaskCodec.detail("t-1", "q", hash).payload()).isEqualTo("{\"to\":\"a@b\"}");
	}

	@Test
	void aHashWithoutATypeUnderEitherNameCannotBeRead() {
		Map<String, byte[]> hash = Map.of("e", bytes("1894701600000000000"));
		RedisTaskCodec.Read read = RedisTaskCodec.read("t-1", "q", hash);
		assertThat(read.malformed()).contains("no field 't' (or 'type')");
		assertThat(read.message().enqueuedAt()).isEqualTo(Instant.ofEpochMilli(1894701600000L));
	}

	@Test
	void aMalformedFractionIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisTimes.instant("1000.5"));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisTimes.duration("1000.-12345"));
	}

	@Test
	void detailOfAHashWhoseStateCannotBeReadIsShownAsMalformed() {
		// found by RedisTaskCodecFuzzTests: the inspector threw, so such a task could not be deleted
		for (String state : new String[] { null, "sleeping" }) {
			Map<String, byte[]> hash = new HashMap<>(Map.of("type", bytes("email"),
					"enqueued_at", bytes("1700000000000"), "progress", bytes("x")));
			if (state != null) {
				hash.put("state", bytes(state));
			}
			TaskDetail detail = RedisTaskCodec.detail("t-1", "q", hash);
			assertThat(detail.state()).isEqualTo(TaskState.ARCHIVED);
			assertThat(detail.type()).isEqualTo("email");
			assertThat(detail.lastError()).startsWith("malformed task: its task hash cannot be read");
		}
	}

	/** A task with every field the codec writes set. */
	private static TaskMessage everyField() {
		Instant enqueuedAt = Instant.parse("2030-01-15T10:00:00.000123Z");
		return TaskMessage.builder("t-1", "email", "q")
			.payload(bytes("{\"to\":\"a@b\"}"))
			.headers(Map.of("traceparent", "00-abc-01"))
			.maxRetries(5)
			.retried(2)
			.timeout(Duration.ofSeconds(30))
			.deadline(Instant.parse("2030-01-15T12:00:00Z"))
			.uniqueKey("email:abc")
			.uniqueTtl(Duration.ofHours(1))
			.retention(Duration.ofDays(1))
			.enqueuedAt(enqueuedAt)
			.lastError("boom")
			.lastFailedAt(Instant.parse("2030-01-15T10:01:00Z"))
			.key("customer-7")
			.build();
	}

	private static Map<String, byte[]> hash(List<byte[]> fields) {
		Map<String, byte[]> hash = new LinkedHashMap<>();
		for (int i = 0; i < fields.size(); i += 2) {
			hash.put(RedisTaskCodec.text(fields.get(i)), fields.get(i + 1));
		}
		return hash;
	}

	private static byte[] bytes(String value) {
		return RedisTaskCodec.bytes(value);
	}

}
