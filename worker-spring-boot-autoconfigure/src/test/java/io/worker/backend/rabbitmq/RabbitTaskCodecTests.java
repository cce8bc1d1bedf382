package io.worker.backend.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.spi.MalformedTaskException;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.FuzzInputs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * RabbitMQ's task format ({@link RabbitTaskCodec}): a task comes back exactly from its body, the
 * header format before it is still read, and a body that only starts like the format is refused
 * with {@link MalformedTaskException} and nothing else.
 */
class RabbitTaskCodecTests {

	private static final long SEED = 21;

	@Test
	void aTaskComesBackExactlyFromItsBody() {
		FuzzInputs inputs = new FuzzInputs(SEED);
		for (int i = 0; i < 1_000; i++) {
			TaskMessage task = inputs.validTask();
			Map<String, String> fields = TaskEnvelope.headers(task);
			fields.put(RabbitRouter.PROCESS_AT, "2030-01-01T00:00:00Z");

			RabbitTaskCodec.Fields read = RabbitTaskCodec.read(Map.of(), RabbitTaskCodec.body(fields, task.payload()));

			// as in a header, a lone surrogate has no UTF-8 form and comes back as '?'
			Map<String, String> asUtf8 = new LinkedHashMap<>();
			fields.forEach((name, value) -> asUtf8.put(name, utf8(value)));
			assertThat(read.fields()).isEqualTo(asUtf8);
			assertThat(read.payload()).isEqualTo(task.payload());
			if (asUtf8.equals(fields)) {
				assertThat(TaskEnvelope.read(read.fields(), read.payload())).usingRecursiveComparison().isEqualTo(task);
			}
		}
	}

	private static String utf8(String text) {
		return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
	}

	@Test
	void textBeyondAsciiAndAnEmptyPayloadComeBack() {
		Map<String, String> fields = Map.of(TaskEnvelope.ID, "ünï-✓-𝄞", TaskEnvelope.LAST_ERROR, "x".repeat(16 * 1024));

		RabbitTaskCodec.Fields read = RabbitTaskCodec.read(Map.of(), RabbitTaskCodec.body(fields, new byte[0]));

		assertThat(read.fields()).isEqualTo(fields);
		assertThat(read.payload()).isEmpty();
	}

	@Test
	void aMessageWithItsEnvelopeInHeadersIsReadFromThemWhateverItsBodyHolds() {
		Map<String, String> headers = Map.of(TaskEnvelope.ID, "old", "x-delivery-count", "1");
		byte[] body = RabbitTaskCodec.body(Map.of(TaskEnvelope.ID, "new"), "{}".getBytes(StandardCharsets.UTF_8));

		RabbitTaskCodec.Fields read = RabbitTaskCodec.read(headers, body);

		assertThat(read.fields()).isEqualTo(headers);
		assertThat(read.payload()).isSameAs(body);
	}

	@Test
	void aBodyNotInTheFormatIsThePayloadOfTheHeaderFormat() {
		byte[] body = "not a task".getBytes(StandardCharsets.UTF_8);

		RabbitTaskCodec.Fields read = RabbitTaskCodec.read(Map.of(), body);

		assertThat(read.fields()).isEmpty();
		assertThat(read.payload()).isSameAs(body);
	}

	@Test
	void aFieldTwiceOrNotUtf8OrCutShortIsMalformed() {
		byte[] twice = { 0, 'W', 'K', 1, 0, 2, 0, 1, 'a', 0, 0, 0, 1, 'a', 0, 0 };
		byte[] notUtf8 = { 0, 'W', 'K', 1, 0, 1, 0, 1, (byte) 0xC3, 0, 0 };
		byte[] cut = { 0, 'W', 'K', 1, 0, 1, 0, 9, 'a' };

		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> RabbitTaskCodec.read(Map.of(), twice))
			.withMessageContaining("twice");
		assertThatExceptionOfType(MalformedTaskException.class)
			.isThrownBy(() -> RabbitTaskCodec.read(Map.of(), notUtf8))
			.withMessageContaining("UTF-8");
		assertThatExceptionOfType(MalformedTaskException.class).isThrownBy(() -> RabbitTaskCodec.read(Map.of(), cut))
			.withMessageContaining("cut short");
	}

	/** Seeded mutations of valid bodies: cut, bytes changed, bytes inserted; a task or a malformed one. */
	@Test
	void onlyMalformedTaskExceptionEscapesFromMutatedBodies() {
		FuzzInputs inputs = new FuzzInputs(SEED);
		int read = 0;
		int malformed = 0;
		for (int i = 0; i < FuzzInputs.COUNT / 10; i++) {
			TaskMessage task = inputs.validTask();
			byte[] body = mutate(inputs, RabbitTaskCodec.body(TaskEnvelope.headers(task), task.payload()));
			try {
				RabbitTaskCodec.Fields fields = RabbitTaskCodec.read(Map.of(), body);
				TaskEnvelope.read(fields.fields(), fields.payload());
				read++;
			}
			catch (MalformedTaskException ex) {
				malformed++;
			}
			catch (RuntimeException ex) {
				fail("Input " + i + " of seed " + SEED + " (" + Arrays.toString(body) + ") threw " + ex, ex);
			}
		}
		assertThat(read).isPositive();
		assertThat(malformed).isPositive();
	}

	@Test
	void fieldsAreKeptInTheirOrder() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("worker-z", "1");
		fields.put("worker-a", "2");

		assertThat(RabbitTaskCodec.read(Map.of(), RabbitTaskCodec.body(fields, new byte[0])).fields().keySet())
			.containsExactly("worker-z", "worker-a");
	}

	private static byte[] mutate(FuzzInputs inputs, byte[] valid) {
		byte[] body = valid;
		switch (inputs.random().nextInt(4)) {
			case 0 -> body = Arrays.copyOf(valid, 4 + inputs.random().nextInt(valid.length - 3));
			case 1 -> {
				body = valid.clone();
				for (int n = 1 + inputs.random().nextInt(3); n > 0; n--) {
					body[4 + inputs.random().nextInt(body.length - 4)] = (byte) inputs.random().nextInt(256);
				}
			}
			case 2 -> {
				byte[] inserted = inputs.bytes(6);
				int at = 4 + inputs.random().nextInt(valid.length - 3);
				body = new byte[valid.length + inserted.length];
				System.arraycopy(valid, 0, body, 0, at);
				System.arraycopy(inserted, 0, body, at, inserted.length);
				System.arraycopy(valid, at, body, at + inserted.length, valid.length - at);
			}
			default -> {
				// left valid
			}
		}
		return body;
	}

}
