package io.worker.backend.redis;

import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.testsupport.FuzzInputs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The task hash decoders the dequeue and the inspector use, given {@value FuzzInputs#COUNT} seeded
 * mutations of valid hashes (fields dropped, replaced by near-miss or random text, invalid UTF-8,
 * unknown fields): {@link RedisTaskCodec#read} and {@link RedisTaskCodec#detail} never throw, and
 * a hash they cannot decode is reported as malformed rather than read as something else.
 */
class RedisTaskCodecFuzzTests {

	private static final long SEED = 14;

	@Test
	void noExceptionEscapesTheHashReaders() {
		FuzzInputs inputs = new FuzzInputs(SEED);
		int malformed = 0;
		for (int i = 0; i < FuzzInputs.COUNT; i++) {
			Map<String, String> valid = new LinkedHashMap<>();
			RedisTaskCodec.toMap(RedisTaskCodec.encode(inputs.validTask()), 0)
				.forEach((name, value) -> valid.put(name, RedisTaskCodec.text(value)));
			Map<String, String> mutated = inputs.mutate(valid, (i % 2 == 0) ? "h:" : "");
			if (i % 500 == 0) {
				mutated.put("malformed", inputs.text(10));
			}
			Map<String, byte[]> hash = new LinkedHashMap<>();
			mutated.forEach((name, value) -> hash.put(name, inputs.utf8OrGarbage(value)));
			try {
				RedisTaskCodec.Read read = RedisTaskCodec.read("t-" + i, "q", hash);
				if (read.malformed() != null) {
					malformed++;
				}
				RedisTaskCodec.detail("t-" + i, "q", hash);
			}
			catch (RuntimeException ex) {
				fail("Input " + i + " of seed " + SEED + " (" + mutated + ") threw " + ex, ex);
			}
		}
		assertThat(malformed).isPositive().isLessThan(FuzzInputs.COUNT);
	}

}
