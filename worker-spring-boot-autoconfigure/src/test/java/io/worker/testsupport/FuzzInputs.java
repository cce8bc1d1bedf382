package io.worker.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;

/**
 * Seeded random inputs for the decoders of task envelopes and hashes: mostly a valid task's fields
 * with a few of them dropped, emptied, replaced by near-miss or random text, or joined by unknown
 * and oversized fields, so that the decoders' checks past the first are reached too. The same seed
 * gives the same inputs, so a failure names the input that caused it and can be replayed.
 */
public final class FuzzInputs {

	/** How many inputs each decoder is given. */
	public static final int COUNT = 100_000;

	private static final String[] NEAR_MISSES = { "", " ", "0", "-1", "1", "2147483648", "-2147483649",
			"99999999999999999999", "1.5", "NaN", "PT0S", "PT-1S", "-PT1S", "PT1H", "P1D", "PT", "P", "1e9",
			"2026-01-02T03:04:05Z", "2026-13-45T99:99:99Z", "+999999999-12-31T23:59:59Z", "1700000000000",
			"-1700000000000", "9223372036854775807", "-9223372036854775808", "1700000000000.5", "null", "true",
			"\u0000", "\uFFFF", "\uD800", "é", "{}", "[]", "worker-", "worker-h-", ":" };

	private static final String PUNCTUATION = "-:.TZPS+ {}[]\"\\";

	private final Random random;

	public FuzzInputs(long seed) {
		this.random = new Random(seed);
	}

	public Random random() {
		return this.random;
	}

	/** A valid task with most optional fields set, varied per call. */
	public TaskMessage validTask() {
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = this.random.nextInt(3); i > 0; i--) {
			headers.put("h" + i, text(8));
		}
		TaskMessage.Builder builder = TaskMessage.builder("t-" + this.random.nextInt(), "type:" + this.random.nextInt(9),
				"q" + this.random.nextInt(3))
			.payload(bytes(16))
			.headers(headers)
			.retried(this.random.nextInt(5))
			.enqueuedAt(Instant.ofEpochMilli(1_700_000_000_000L + this.random.nextInt(1_000_000)));
		if (this.random.nextBoolean()) {
			builder.maxRetries(this.random.nextInt(10))
				.timeout(Duration.ofSeconds(1 + this.random.nextInt(100)))
				.deadline(Instant.ofEpochMilli(1_800_000_000_000L))
				.uniqueKey("u" + this.random.nextInt())
				.uniqueTtl(Duration.ofMinutes(1))
				.retention(Duration.ofHours(1))
				.key("k" + this.random.nextInt(4))
				.lastError("boom")
				.lastFailedAt(Instant.ofEpochMilli(1_700_000_500_000L));
		}
		return builder.build();
	}

	/**
	 * Fields mutated from valid ones: some removed, some replaced, some added.
	 * @param valid the valid fields
	 * @param prefix the prefix of the names the decoder knows, used for some added names
	 * @return the mutated fields
	 */
	public Map<String, String> mutate(Map<String, String> valid, String prefix) {
		Map<String, String> fields = new LinkedHashMap<>(valid);
		List<String> names = new ArrayList<>(fields.keySet());
		int mutations = 1 + this.random.nextInt(4);
		for (int i = 0; i < mutations; i++) {
			String name = names.isEmpty() ? prefix + text(4) : names.get(this.random.nextInt(names.size()));
			switch (this.random.nextInt(6)) {
				case 0 -> fields.remove(name);
				case 1 -> fields.put(name, NEAR_MISSES[this.random.nextInt(NEAR_MISSES.length)]);
				case 2 -> fields.put(name, text(1 + this.random.nextInt(40)));
				case 3 -> fields.put(prefix + text(1 + this.random.nextInt(12)), text(this.random.nextInt(20)));
				case 4 -> fields.put(this.random.nextBoolean() ? text(this.random.nextInt(10)) : name,
						"x".repeat(this.random.nextInt(40) == 0 ? TaskEnvelope.MAX_VALUE_LENGTH + 1 : 300));
				default -> {
					if (this.random.nextInt(200) == 0) {
						for (int n = 0; n < TaskEnvelope.MAX_HEADERS + 1; n++) {
							fields.put(prefix + "h-" + n, "v");
						}
					}
					else {
						fields.put(name, valid.getOrDefault(name, "") + text(3));
					}
				}
			}
		}
		return fields;
	}

	/** Random text from letters, digits, punctuation, control and non-ASCII characters. */
	public String text(int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append(switch (this.random.nextInt(6)) {
				case 0 -> (char) ('0' + this.random.nextInt(10));
				case 1 -> (char) ('a' + this.random.nextInt(26));
				case 2 -> PUNCTUATION.charAt(this.random.nextInt(PUNCTUATION.length()));
				case 3 -> (char) this.random.nextInt(32);
				case 4 -> (char) (0x80 + this.random.nextInt(0xFF80));
				default -> (char) (' ' + this.random.nextInt(95));
			});
		}
		return text.toString();
	}

	/** Random bytes, not necessarily UTF-8. */
	public byte[] bytes(int maxLength) {
		byte[] bytes = new byte[this.random.nextInt(maxLength + 1)];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/** Text as UTF-8, or random bytes one time in eight. */
	public byte[] utf8OrGarbage(String text) {
		return (this.random.nextInt(8) == 0) ? bytes(12) : text.getBytes(StandardCharsets.UTF_8);
	}

}
