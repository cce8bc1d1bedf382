package io.worker.spi;

import java.util.Map;

import io.worker.testsupport.FuzzInputs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link TaskEnvelope#read} given {@value FuzzInputs#COUNT} seeded mutations of valid envelopes:
 * it returns a task or throws {@link MalformedTaskException}, and nothing else escapes.
 */
class TaskEnvelopeFuzzTests {

	private static final long SEED = 14;

	@Test
	void onlyMalformedTaskExceptionEscapes() {
		FuzzInputs inputs = new FuzzInputs(SEED);
		int read = 0;
		int malformed = 0;
		for (int i = 0; i < FuzzInputs.COUNT; i++) {
			TaskMessage valid = inputs.validTask();
			Map<String, String> headers = (i % 1000 == 0) ? null
					: inputs.mutate(TaskEnvelope.headers(valid), TaskEnvelope.PREFIX);
			byte[] payload = (i % 997 == 0) ? null : valid.payload();
			try {
				TaskEnvelope.read(headers, payload);
				read++;
			}
			catch (MalformedTaskException ex) {
				malformed++;
			}
			catch (RuntimeException ex) {
				fail("Input " + i + " of seed " + SEED + " (" + headers + ") threw " + ex, ex);
			}
		}
		// both outcomes are reached: the mutations are neither all harmless nor all fatal
		assertThat(read).isPositive();
		assertThat(malformed).isPositive();
	}

}
