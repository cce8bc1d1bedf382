package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.worker.TaskDetail;
import io.worker.TaskState;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The task hash's time fields: epoch milliseconds that read back exactly, without date parsing.
 */
class RedisTaskCodecTests {

	@Test
	void instantsAreEpochMillisecondsAndComeBackExactly() {
		Instant whole = Instant.parse("2030-01-15T10:00:00.123Z");
		Instant fine = Instant.parse("2030-01-15T10:00:00.123456789Z");
		Instant beforeEpoch = Instant.ofEpochSecond(-1, 998_500_000);
		assertThat(RedisTaskCodec.millis(whole)).isEqualTo(Long.toString(whole.toEpochMilli()));
		assertThat(RedisTaskCodec.millis(fine)).isEqualTo(whole.toEpochMilli() + ".456789");
		for (Instant instant : new Instant[] { whole, fine, beforeEpoch, Instant.EPOCH, Instant.MAX, Instant.MIN }) {
			assertThat(RedisTaskCodec.instant(RedisTaskCodec.millis(instant))).isEqualTo(instant);
		}
	}

	@Test
	void durationsAreMillisecondsAndComeBackExactly() {
		assertThat(RedisTaskCodec.millis(Duration.ofSeconds(30))).isEqualTo("30000");
		for (Duration duration : new Duration[] { Duration.ofSeconds(30), Duration.ofNanos(1_500_001),
				Duration.ofMillis(-5), Duration.ofSeconds(Long.MAX_VALUE) }) {
			assertThat(RedisTaskCodec.duration(RedisTaskCodec.millis(duration))).isEqualTo(duration);
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
	void aMalformedFractionIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisTaskCodec.instant("1000.5"));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisTaskCodec.duration("1000.-12345"));
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

	private static byte[] bytes(String value) {
		return RedisTaskCodec.bytes(value);
	}

}
