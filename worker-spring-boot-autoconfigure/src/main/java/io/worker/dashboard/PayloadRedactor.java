package io.worker.dashboard;

import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Prepares a task's payload for display: masks the configured fields at any depth and pretty-prints
 * JSON; a payload that is not JSON is shown as it is.
 */
public final class PayloadRedactor {

	static final String MASK = "******";

	private final ObjectMapper mapper;

	private final Set<String> maskedFields;

	private final PayloadRedaction hook;

	/** A redactor masking the given field names (exact, case-sensitive) wherever they occur. */
	public PayloadRedactor(ObjectMapper mapper, Set<String> maskedFields) {
		this(mapper, maskedFields, (payload) -> payload);
	}

	/**
	 * A redactor masking the given field names, then passing the result through the application's
	 * own redaction.
	 */
	public PayloadRedactor(ObjectMapper mapper, Set<String> maskedFields, PayloadRedaction hook) {
		this.mapper = mapper;
		this.maskedFields = Set.copyOf(maskedFields);
		this.hook = hook;
	}

	/** The payload to display, with the masked fields replaced, pretty-printed. */
	public String redact(String payload) {
		return this.hook.redact(masked(payload, true));
	}

	/** The payload with the masked fields replaced, compact, as searches match it. */
	String redactCompact(String payload) {
		return this.hook.redact(masked(payload, false));
	}

	private String masked(String payload, boolean pretty) {
		JsonNode tree;
		try {
			tree = this.mapper.readTree(payload);
		}
		catch (RuntimeException ex) {
			return payload;
		}
		if (tree == null || tree.isMissingNode()) {
			return payload;
		}
		mask(tree);
		return pretty ? this.mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree)
				: this.mapper.writeValueAsString(tree);
	}

	private void mask(JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (String name : object.propertyNames()) {
				if (this.maskedFields.contains(name)) {
					object.put(name, MASK);
				}
				else {
					mask(object.get(name));
				}
			}
		}
		else if (node.isArray()) {
			node.forEach(this::mask);
		}
	}

}
