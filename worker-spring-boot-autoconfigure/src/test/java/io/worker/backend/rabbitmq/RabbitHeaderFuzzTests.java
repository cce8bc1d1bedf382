package io.worker.backend.rabbitmq;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.LongStringHelper;
import io.worker.spi.MalformedTaskException;
import io.worker.spi.TaskEnvelope;
import io.worker.testsupport.FuzzInputs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The header decoding of the RabbitMQ consumer ({@link RabbitQueueConsumer#text} then
 * {@link TaskEnvelope#read}) given {@value FuzzInputs#COUNT} seeded mutations of valid messages,
 * with header values of every AMQP type a publisher can send (long strings that are not UTF-8,
 * numbers, byte arrays, lists, timestamps, nulls): it returns a task or throws
 * {@link MalformedTaskException}, which the consumer archives, and nothing else escapes.
 */
class RabbitHeaderFuzzTests {

	private static final long SEED = 14;

	@Test
	void onlyMalformedTaskExceptionEscapes() {
		FuzzInputs inputs = new FuzzInputs(SEED);
		int read = 0;
		int malformed = 0;
		for (int i = 0; i < FuzzInputs.COUNT; i++) {
			Map<String, String> mutated = inputs.mutate(TaskEnvelope.headers(inputs.validTask()), TaskEnvelope.PREFIX);
			Map<String, Object> headers = new LinkedHashMap<>();
			mutated.forEach((name, value) -> headers.put(name, amqpValue(inputs, value)));
			try {
				TaskEnvelope.read(RabbitQueueConsumer.text(headers), inputs.bytes(8));
				read++;
			}
			catch (MalformedTaskException ex) {
				malformed++;
			}
			catch (RuntimeException ex) {
				fail("Input " + i + " of seed " + SEED + " (" + mutated + ") threw " + ex, ex);
			}
		}
		assertThat(read).isPositive();
		assertThat(malformed).isPositive();
	}

	/** The value mostly as a long string, as RabbitMQ delivers text, else as another AMQP type. */
	private static Object amqpValue(FuzzInputs inputs, String value) {
		return switch (inputs.random().nextInt(12)) {
			case 0 -> value;
			case 1 -> inputs.random().nextLong();
			case 2 -> inputs.utf8OrGarbage(value);
			case 3 -> List.of(value);
			case 4 -> new Date(inputs.random().nextLong());
			case 5 -> LongStringHelper.asLongString(inputs.bytes(10));
			case 6 -> inputs.random().nextInt();
			default -> (LongString) LongStringHelper.asLongString(value);
		};
	}

}
