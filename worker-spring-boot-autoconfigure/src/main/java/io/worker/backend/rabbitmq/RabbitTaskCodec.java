package io.worker.backend.rabbitmq;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.spi.MalformedTaskException;
import io.worker.spi.TaskEnvelope;

/**
 * How a task travels through RabbitMQ's queues: its {@link TaskEnvelope} fields in front of its
 * payload in the message body, and no header table. RabbitMQ decodes a message's header table in
 * the publishing channel's process and the quorum queue stores it with every message, which made
 * the five {@code worker-*} headers the broker's main cost per published task; the same bytes in the
 * body cost it almost nothing (BENCHMARKS.md, RabbitMQ, sessions 7 and 8).
 * <p>
 * The body is {@link #MAGIC} (a zero byte, {@code WK}, the format's version 1), the number of fields
 * (2 bytes, unsigned, big-endian), each field as its name and its value (each: its UTF-8 length in 2
 * unsigned bytes, then the bytes), then the payload to the end. The fields are the envelope's
 * {@code worker-*} names and values, so a newer version's fields are ignored by an older reader as
 * its unknown headers were.
 * <p>
 * {@link #read} also reads the format before it, the fields as {@code worker-*} headers and the
 * payload as the body (tasks queued by an earlier version, archived tasks, which keep their fields
 * in headers for the broker's console to show, and messages put in by hand): a message with a
 * {@value TaskEnvelope#ID} header is read from its headers whatever its body holds.
 */
final class RabbitTaskCodec {

	/** The first bytes of a body in this format. */
	private static final byte[] MAGIC = { 0, 'W', 'K', 1 };

	private static final int MAX_LENGTH = 0xFFFF;

	private RabbitTaskCodec() {
	}

	/**
	 * The body of a message carrying a task.
	 * @param fields the envelope's fields ({@link TaskEnvelope#headers}) and any routing field
	 * @param payload the task's payload
	 */
	static byte[] body(Map<String, String> fields, byte[] payload) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(MAGIC.length + 2 + 48 * fields.size() + payload.length);
		out.writeBytes(MAGIC);
		writeLength(out, fields.size());
		fields.forEach((name, value) -> {
			writeText(out, name);
			writeText(out, value);
		});
		out.writeBytes(payload);
		return out.toByteArray();
	}

	/**
	 * The fields and payload of a message in either format, for {@link TaskEnvelope#read}.
	 * @param headers the message's headers as text ({@link RabbitQueueConsumer#text})
	 * @param body the message's body
	 * @throws MalformedTaskException when the body starts like this format but does not follow it
	 */
	static Fields read(Map<String, String> headers, byte[] body) {
		if (headers.containsKey(TaskEnvelope.ID) || !startsWithMagic(body)) {
			return new Fields(headers, body);
		}
		ByteBuffer in = ByteBuffer.wrap(body, MAGIC.length, body.length - MAGIC.length);
		int count = readLength(in);
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			String name = readText(in);
			String value = readText(in);
			if (fields.put(name, value) != null) {
				throw new MalformedTaskException(null, "The message's envelope has field '" + shorten(name) + "' twice");
			}
		}
		return new Fields(fields, Arrays.copyOfRange(body, in.position(), body.length));
	}

	private static boolean startsWithMagic(byte[] body) {
		return body.length >= MAGIC.length && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
	}

	private static void writeText(ByteArrayOutputStream out, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		writeLength(out, bytes.length);
		out.writeBytes(bytes);
	}

	/** The envelope's bounds keep every length far below this; a failure here is a bug, not input. */
	private static void writeLength(ByteArrayOutputStream out, int length) {
		if (length > MAX_LENGTH) {
			throw new IllegalArgumentException("A task's envelope field or field count of " + length
					+ " does not fit RabbitMQ's task format (at most " + MAX_LENGTH + ")");
		}
		out.write(length >>> 8);
		out.write(length & 0xFF);
	}

	private static int readLength(ByteBuffer in) {
		if (in.remaining() < 2) {
			throw cutShort();
		}
		return Short.toUnsignedInt(in.getShort());
	}

	private static String readText(ByteBuffer in) {
		int length = readLength(in);
		if (in.remaining() < length) {
			throw cutShort();
		}
		ByteBuffer bytes = in.slice(in.position(), length);
		in.position(in.position() + length);
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
		}
		catch (CharacterCodingException ex) {
			throw new MalformedTaskException(null, "The message's envelope has a field that is not UTF-8 text");
		}
	}

	private static MalformedTaskException cutShort() {
		return new MalformedTaskException(null, "The message's envelope is cut short");
	}

	private static String shorten(String name) {
		return (name.length() > 64) ? name.substring(0, 64) + "..." : name;
	}

	/**
	 * A message's task fields and payload.
	 * @param fields the {@code worker-*} fields, and in the header format every other text header
	 * @param payload the task's payload
	 */
	record Fields(Map<String, String> fields, byte[] payload) {
	}

}
