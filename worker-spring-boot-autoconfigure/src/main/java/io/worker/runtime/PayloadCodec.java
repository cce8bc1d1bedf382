package io.worker.runtime;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes payloads and results as JSON and reads them back into a handler's parameter type. Its
 * JSON is Worker's wire format, and a unique task's key is a hash of it: build the codec with
 * {@link #withModules(Collection)} so that only Worker decides how it looks.
 */
public final class PayloadCodec {

	private final JsonMapper jsonMapper;

	/** Readers by handler parameter type: building one per task showed up in profiles. */
	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

	/**
	 * Create a codec that writes and reads with the given mapper, as it is configured.
	 * @param jsonMapper the mapper
	 * @see #withModules(Collection)
	 */
	public PayloadCodec(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * Create a codec on Worker's own mapper, which has the given modules (so that types the
	 * application serializes in its own way are written and read the same way in tasks) and
	 * Worker's fixed settings otherwise. No other setting of the application's mapper (indentation,
	 * naming strategy, map ordering, date format, inclusion, default typing) changes the payloads
	 * written or the unique keys derived from them.
	 * @param modules the modules to register, typically those of the application's mapper
	 * @return the codec
	 */
	public static PayloadCodec withModules(Collection<? extends JacksonModule> modules) {
		return new PayloadCodec(payloadMapper(modules));
	}

	/** Worker's mapper: Jackson's defaults, pinned where they decide the bytes written. */
	static JsonMapper payloadMapper(Collection<? extends JacksonModule> modules) {
		return JsonMapper.builder()
			.addModules(modules)
			// type ids in a payload must not choose the classes its reader instantiates
			.deactivateDefaultTyping()
			.disable(SerializationFeature.INDENT_OUTPUT)
			.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
			.disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.changeDefaultPropertyInclusion((inclusion) -> JsonInclude.Value.construct(Include.ALWAYS, Include.ALWAYS))
			// a payload written by a newer version of its type, with more fields, still runs
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();
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
