package io.worker.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sets properties whose names hold a ':', such as {@code worker.tasks[user:welcome].enabled}.
 * {@code withPropertyValues("name=value")} splits each pair at its first ':' or '=', so it cannot
 * set them; this takes names and values apart.
 */
public final class PropertyValues {

	private PropertyValues() {
	}

	/**
	 * An initializer that adds the properties to the context's environment.
	 * @param namesAndValues a name, its value, the next name, its value, ...
	 * @return the initializer, for {@code ApplicationContextRunner.withInitializer}
	 */
	public static ApplicationContextInitializer<ConfigurableApplicationContext> of(String... namesAndValues) {
		if (namesAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("Expected names and values in pairs");
		}
		Map<String, String> properties = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			properties.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return (context) -> TestPropertyValues.of(properties).applyTo(context);
	}

}
