package io.worker.spi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * A task survives the wire format unchanged, and anything malformed is refused with
 * {@link MalformedTaskException} only.
 */
class TaskEnvelopeTests {

	private static final Instant NOW = Instant.parse("2026-01-01T10:15:30.123456789Z");

	@Test
	void everyFieldRoundTrips() {
		TaskMessage message = full();
		Map<String, String> headers = TaskEnvelope.headers(message);
		assertThat(headers).containsEntry("worker-id", "t-1")
			.containsEntry("worker-type", "email:send")
			.containsEntry("worker-queue", "critical")
			.containsEntry("worker-enqueued-at", "2026-01-01T10:15:30.123456789Z")
			.containsEntry("worker-retried", "2")
			.containsEntry("worker-max-retries", "5")
			.containsEntry("worker-timeout", "PT30S")
			.containsEntry("worker-unique-ttl", "PT1H")
			.containsEntry("worker-retention", "PT24H")
			.containsEntry("worker-key", "customer-42")
			.containsEntry("worker-h-traceparent", "00-abc-01")
			.allSatisfy((name, value) -> assertThat(name).startsWith(TaskEnvelope.PREFIX));
		TaskMessage read = TaskEnvelope.read(headers, message.payload());
		assertThat(read).usingRecursiveComparison().isEqualTo(message);
	}

	@Test
	void minimalTaskRoundTrips() {
		TaskMessage message = TaskMessage.builder("t-1", "a", "default").enqueuedAt(NOW).build();
		Map<String, String> headers = TaskEnvelope.headers(message);
		assertThat(headers).containsOnlyKeys("worker-id", "worker-type", "worker-queue", "worker-enqueued-at",
				"worker-retried");
		assertThat(TaskEnvelope.read(headers, new byte[0])).usingRecursiveComparison().isEqualTo(message);
	}

	@Test
	void headersOfTheBrokerAndUnknownWorkerHeadersAreIgnored() {
		Map<String, String> headers = new HashMap<>(TaskEnvelope.headers(full()));
		headers.put("x-death", "whatever");
		headers.put("worker-from-a-newer-version", "1");
		assertThat(TaskEnvelope.read(headers, full().payload())).usingRecursiveComparison().isEqualTo(full());
	}

	@Test
	void missingRequiredHeaderIsNamed() {
		for (String name : List.of(TaskEnvelope.ID, TaskEnvelope.TYPE, TaskEnvelope.QUEUE, TaskEnvelope.ENQUEUED_AT)) {
			Map<String, String> headers = new HashMap<>(TaskEnvelope.headers(full()));
			headers.remove(name);
			assertThatExceptionOfType(MalformedTaskException.class)
				.isThrownBy(() -> TaskEnvelope.read(headers, new byte[0]))
				.withMessage("Header '" + name + "' is missing")
				.satisfies((ex) -> assertThat(ex.getHeader()).isEqualTo(name));
		}
	}

	@Test
	void invalidValuesAreNamed() {
		assertInvalid(TaskEnvelope.RETRIED, "-1");
		assertInvalid(TaskEnvelope.RETRIED, "+1");
		assertInvalid(TaskEnvelope.MAX_RETRIES, "99999999999");
		assertInvalid(TaskEnvelope.TIMEOUT, "PT0S");
		assertInvalid(TaskEnvelope.TIMEOUT, "30 seconds");
		assertInvalid(TaskEnvelope.UNIQUE_TTL, "-PT1S");
		assertInvalid(TaskEnvelope.RETENTION, "-PT1S");
		assertInvalid(TaskEnvelope.DEADLINE, "1767262530000");
		assertInvalid(TaskEnvelope.ENQUEUED_AT, "+999999999999-01-01T00:00:00Z");
		assertInvalid(TaskEnvelope.ID, " ");
		assertInvalid(TaskEnvelope.KEY, "");
	}

	@Test
	void absurdlyLongHeadersAreRefused() {
		assertInvalid(TaskEnvelope.USER_HEADER_PREFIX + "big", "x".repeat(TaskEnvelope.MAX_VALUE_LENGTH + 1));
		Map<String, String> headers = new HashMap<>(TaskEnvelope.headers(full()));
		headers.put(TaskEnvelope.USER_HEADER_PREFIX + "n".repeat(TaskEnvelope.MAX_NAME_LENGTH), "v");
		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> TaskEnvelope.read(headers, new byte[0]))
			.withMessageContaining("longer than " + TaskEnvelope.MAX_NAME_LENGTH);
		Map<String, String> many = new HashMap<>(TaskEnvelope.headers(full()));
		for (int i = 0; i < TaskEnvelope.MAX_HEADERS; i++) {
			many.put(TaskEnvelope.USER_HEADER_PREFIX + i, "v");
		}
		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> TaskEnvelope.read(many, new byte[0]))
			.withMessageContaining("more than " + TaskEnvelope.MAX_HEADERS + " headers");
		Map<String, String> large = new HashMap<>(TaskEnvelope.headers(full()));
		for (int i = 0; i < 5; i++) {
			large.put(TaskEnvelope.USER_HEADER_PREFIX + i, "v".repeat(TaskEnvelope.MAX_VALUE_LENGTH));
		}
		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> TaskEnvelope.read(large, new byte[0]))
			.withMessageContaining("longer than " + TaskEnvelope.MAX_TOTAL_LENGTH);
	}

	@Test
	void taskThatCannotBeCarriedIsRefusedAtWriteButALongErrorIsCut() {
		TaskMessage big = full().toBuilder().headers(Map.of("big", "x".repeat(TaskEnvelope.MAX_VALUE_LENGTH + 1))).build();
		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> TaskEnvelope.headers(big));
		TaskMessage failed = full().failed("e".repeat(100_000), NOW);
		String error = TaskEnvelope.headers(failed).get(TaskEnvelope.LAST_ERROR);
		assertThat(error).hasSize(TaskEnvelope.MAX_VALUE_LENGTH);
		assertThat(TaskEnvelope.read(TaskEnvelope.headers(failed), failed.payload()).lastError()).isEqualTo(error);
	}

	@Test
	void nullHeadersPayloadNamesAndValuesAreRefused() {
		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> TaskEnvelope.read(null, new byte[0]));
		assertThatExceptionOfType(MalformedTaskException.class)
			.isThrownBy(() -> TaskEnvelope.read(TaskEnvelope.headers(full()), null));
		Map<String, String> nullName = new HashMap<>(TaskEnvelope.headers(full()));
		nullName.put(null, "v");
		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> TaskEnvelope.read(nullName, new byte[0]));
		Map<String, String> nullValue = new HashMap<>(TaskEnvelope.headers(full()));
		nullValue.put(TaskEnvelope.USER_HEADER_PREFIX + "x", null);
		assertThatExceptionOfType(MalformedTaskException.class)
			.isThrownBy(() -> TaskEnvelope.read(nullValue, new byte[0]))
			.withMessageContaining("has no value");
	}

	/** Mutations of valid header maps: whatever comes out, only the documented exception escapes. */
	@Test
	void fuzzedHeadersGiveATaskOrMalformedTaskExceptionOnly() {
		Random random = new Random(20260101L);
		int read = 0;
		int refused = 0;
		for (int i = 0; i < 20_000; i++) {
			TaskMessage message = randomMessage(random);
			Map<String, String> headers = new HashMap<>(TaskEnvelope.headers(message));
			int mutations = 1 + random.nextInt(4);
			for (int m = 0; m < mutations; m++) {
				mutate(random, headers);
			}
			byte[] payload = (random.nextInt(50) == 0) ? null : message.payload();
			try {
				TaskMessage result = TaskEnvelope.read(headers, payload);
				assertThat(result.id()).isNotBlank();
				read++;
			}
			catch (MalformedTaskException ex) {
				assertThat(ex.getMessage()).isNotBlank();
				refused++;
			}
			catch (RuntimeException ex) {
				fail("Headers " + headers + " threw " + ex, ex);
			}
		}
		// the fuzzer must exercise both outcomes to prove anything
		assertThat(read).isGreaterThan(1000);
		assertThat(refused).isGreaterThan(1000);
	}

	private static void mutate(Random random, Map<String, String> headers) {
		List<String> names = new ArrayList<>(headers.keySet());
		String name = names.isEmpty() ? TaskEnvelope.ID : names.get(random.nextInt(names.size()));
		switch (random.nextInt(9)) {
			case 0 -> headers.remove(name);
			case 1 -> headers.put(name, junk(random));
			case 2 -> headers.put(name, null);
			case 3 -> headers.put(null, junk(random));
			case 4 -> headers.put(TaskEnvelope.PREFIX + junk(random), junk(random));
			case 5 -> headers.put(TaskEnvelope.USER_HEADER_PREFIX + junk(random), junk(random));
			case 6 -> headers.put(name, "x".repeat(random.nextInt(2 * TaskEnvelope.MAX_VALUE_LENGTH)));
			case 7 -> {
				String value = headers.get(name);
				if (value != null && !value.isEmpty()) {
					headers.put(name, value.substring(0, random.nextInt(value.length())));
				}
			}
			default -> {
				String other = names.isEmpty() ? TaskEnvelope.QUEUE : names.get(random.nextInt(names.size()));
				String value = headers.get(name);
				headers.put(name, headers.get(other));
				headers.put(other, value);
			}
		}
	}

	private static String junk(Random random) {
		String[] samples = { "", " ", "-1", "0", "+7", "2147483648", "99999999999999999999", "PT0S", "PT-1S",
				"P999999999999D", "PT30S", "2026-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z", "1767225600000",
				"NaN", "\u0000", "\uD800", "é", "worker-", "null" };
		if (random.nextBoolean()) {
			return samples[random.nextInt(samples.length)];
		}
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(40);
		for (int i = 0; i < length; i++) {
			text.append((char) random.nextInt(0x3000));
		}
		return text.toString();
	}

	private static TaskMessage randomMessage(Random random) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = random.nextInt(4); i > 0; i--) {
			headers.put("h" + random.nextInt(100), "v" + random.nextInt());
		}
		TaskMessage.Builder builder = TaskMessage.builder("t-" + random.nextInt(), "type-" + random.nextInt(10), "q")
			.payload(("{\"n\":" + random.nextInt() + "}").getBytes(StandardCharsets.UTF_8))
			.headers(headers)
			.retried(random.nextInt(10))
			.enqueuedAt(NOW.plusNanos(random.nextInt(1_000_000_000)));
		if (random.nextBoolean()) {
			builder.maxRetries(random.nextInt(25))
				.timeout(Duration.ofMillis(1 + random.nextInt(100_000)))
				.deadline(NOW.plusSeconds(random.nextInt(100_000)))
				.uniqueKey("u-" + random.nextInt())
				.uniqueTtl(Duration.ofSeconds(1 + random.nextInt(3600)))
				.retention(Duration.ofSeconds(random.nextInt(3600)))
				.key("k-" + random.nextInt(100))
				.lastError("boom " + random.nextInt())
				.lastFailedAt(NOW);
		}
		return builder.build();
	}

	private static void assertInvalid(String name, String value) {
		Map<String, String> headers = new HashMap<>(TaskEnvelope.headers(full()));
		headers.put(name, value);
		assertThatExceptionOfType(MalformedTaskException.class).as(name + "=" + value)
			.isThrownBy(() -> TaskEnvelope.read(headers, new byte[0]))
			.withMessageContaining(name.startsWith(TaskEnvelope.USER_HEADER_PREFIX) ? "longer" : name)
			.satisfies((ex) -> assertThat(ex.getHeader()).isEqualTo(name));
	}

	private static TaskMessage full() {
		return TaskMessage.builder("t-1", "email:send", "critical")
			.payload("{\"to\":\"ada@example.com\"}".getBytes(StandardCharsets.UTF_8))
			.headers(Map.of("traceparent", "00-abc-01", "tenant", "acme"))
			.maxRetries(5)
			.retried(2)
			.timeout(Duration.ofSeconds(30))
			.deadline(NOW.plus(Duration.ofDays(2)))
			.uniqueKey("email:send:abc")
			.uniqueTtl(Duration.ofHours(1))
			.retention(Duration.ofDays(1))
			.enqueuedAt(NOW)
			.lastError("timed out")
			.lastFailedAt(NOW.plusSeconds(5))
			.key("customer-42")
			.build();
	}

}
