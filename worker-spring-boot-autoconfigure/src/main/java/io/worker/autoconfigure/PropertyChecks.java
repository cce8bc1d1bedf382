package io.worker.autoconfigure;

import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The checks Worker's auto-configurations apply to their properties at startup: each failure names
 * the property, its value and the rule, as an {@link InvalidConfigurationPropertyValueException}.
 * Not an API for applications.
 */
public final class PropertyChecks {

	/**
	 * The one rule for configured queue names: words of letters, digits, {@code _} and {@code -}
	 * joined by single dots, at most {@value #MAX_QUEUE_NAME} characters. Every backend can use such
	 * a name as it is (RabbitMQ queue names, Kafka topic names, Redis hash tags).
	 */
	private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

	/** The longest configured queue name. */
	public static final int MAX_QUEUE_NAME = 100;

	private PropertyChecks() {
	}

	/**
	 * Requires {@code value} to be at least {@code minimum}.
	 * @param name the property
	 * @param value its value
	 * @param minimum the smallest valid value
	 */
	public static void atLeast(String name, long value, long minimum) {
		if (value < minimum) {
			throw invalid(name, value, "must be at least " + minimum);
		}
	}

	/**
	 * Requires a duration longer than zero.
	 * @param name the property
	 * @param value its value
	 */
	public static void positive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(name, value, "must be a positive duration");
		}
	}

	/**
	 * Requires a duration of zero or more.
	 * @param name the property
	 * @param value its value
	 */
	public static void notNegative(String name, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw invalid(name, value, "must not be negative");
		}
	}

	/**
	 * Requires a queue name that every backend can use (see {@link #MAX_QUEUE_NAME} and the rule on
	 * this class).
	 * @param name the property
	 * @param queue the queue name
	 */
	public static void queueName(String name, String queue) {
		if (queue.length() > MAX_QUEUE_NAME || !QUEUE_NAME.matcher(queue).matches()) {
			throw invalid(name, queue, "a queue name must be at most " + MAX_QUEUE_NAME
					+ " letters, digits, '_' and '-', in words joined by single dots");
		}
	}

	/**
	 * Requires a prefix of backend names (a Redis namespace, a RabbitMQ or Kafka prefix) that every
	 * backend can use, by the same rule as queue names: the names built from it must be usable too.
	 * @param name the property
	 * @param prefix the prefix
	 */
	public static void namePrefix(String name, String prefix) {
		if (prefix.length() > MAX_QUEUE_NAME || !QUEUE_NAME.matcher(prefix).matches()) {
			throw invalid(name, prefix, "a prefix of names must be at most " + MAX_QUEUE_NAME
					+ " letters, digits, '_' and '-', in words joined by single dots");
		}
	}

	/**
	 * The failure for an invalid property value.
	 * @param name the property
	 * @param value its value
	 * @param reason the rule it breaks
	 * @return the exception to throw
	 */
	public static InvalidConfigurationPropertyValueException invalid(String name, @Nullable Object value,
			String reason) {
		return new InvalidConfigurationPropertyValueException(name, value, reason);
	}

}
