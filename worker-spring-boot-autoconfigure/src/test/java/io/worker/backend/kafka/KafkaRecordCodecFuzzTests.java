package io.worker.backend.kafka;

import java.util.Map;

import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.FuzzInputs;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The record decoding of the Kafka backend ({@link KafkaRecordCodec#fromRecordHeaders} then
 * {@link KafkaRecordCodec#read}) given {@value FuzzInputs#COUNT} seeded mutations of valid records:
 * header values that are not UTF-8, null values, repeated names, missing, invalid and oversized
 * headers. It returns a task or throws {@link IllegalArgumentException}, as documented, and nothing
 * else escapes.
 */
class KafkaRecordCodecFuzzTests {

	private static final long SEED = 14;

	@Test
	void onlyIllegalArgumentExceptionEscapes() {
		FuzzInputs inputs = new FuzzInputs(SEED);
		int read = 0;
		int refused = 0;
		for (int i = 0; i < FuzzInputs.COUNT; i++) {
			TaskMessage valid = inputs.validTask();
			Map<String, String> mutated = inputs.mutate(KafkaRecordCodec.headers(valid), TaskEnvelope.PREFIX);
			RecordHeaders headers = new RecordHeaders();
			mutated.forEach((name, value) -> headers.add(name, inputs.utf8OrGarbage(value)));
			if (inputs.random().nextInt(20) == 0) {
				headers.add(TaskEnvelope.ID, null);
			}
			if (inputs.random().nextInt(20) == 0) {
				headers.add(TaskEnvelope.RETRIED, inputs.bytes(6));
			}
			try {
				KafkaRecordCodec.read(KafkaRecordCodec.fromRecordHeaders(headers), valid.payload());
				read++;
			}
			catch (IllegalArgumentException ex) {
				refused++;
			}
			catch (RuntimeException ex) {
				fail("Input " + i + " of seed " + SEED + " (" + mutated + ") threw " + ex, ex);
			}
		}
		assertThat(read).isPositive();
		assertThat(refused).isPositive();
	}

}
