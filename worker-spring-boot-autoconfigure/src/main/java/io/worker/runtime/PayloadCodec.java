package io.worker.runtime;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes payloads and results as JSON and reads them back into a handler's parameter type.
 */
public final class PayloadCodec {

	private final JsonMapper jsonMapper;

	/** Readers by handler parameter type: building one per task showed up in profiles. */
	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

	public PayloadCodec(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Write a value as JSON.
	 * @throws IllegalArgumentException when the value cannot be written
	 */
	public byte[] write(@Nullable Object value) {
		try {
			return this.jsonMapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Cannot write " + value.getClass().getName() + " as JSON: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Read JSON into the given type.
	 * @throws PayloadBindingException when the JSON does not fit the type
	 */
	public @Nullable Object read(byte[] json, Type type) {
		ObjectReader reader = this.readers.computeIfAbsent(type,
				(key) -> this.jsonMapper.readerFor(this.jsonMapper.getTypeFactory().constructType(key)));
		try {
			return reader.readValue(json);
		}
		catch (JacksonException ex) {
			throw new PayloadBindingException("Cannot read payload as " + reader.getValueType().toCanonical() + ": "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/** JSON bytes as text, for the inspector. */
	public static String text(byte @Nullable [] json) {
		return (json != null) ? new String(json, StandardCharsets.UTF_8) : "null";
	}

}
