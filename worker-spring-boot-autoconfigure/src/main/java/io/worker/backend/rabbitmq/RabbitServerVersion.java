package io.worker.backend.rabbitmq;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The version of the RabbitMQ broker, from the server properties it sends when a connection opens,
 * and what the backend does differently by version: features of newer brokers are used only when
 * the broker has them. An unreadable version counts as the oldest supported (3.10), which uses none.
 *
 * @param major the major version, 3 for 3.10.8
 * @param minor the minor version, 10 for 3.10.8
 * @param patch the patch version, 8 for 3.10.8
 */
record RabbitServerVersion(int major, int minor, int patch) {

	/** What an unknown broker is taken for. */
	static final RabbitServerVersion OLDEST = new RabbitServerVersion(3, 10, 0);

	private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

	/** The version in a connection's server properties ({@code version}). */
	static RabbitServerVersion of(@Nullable Map<String, Object> serverProperties) {
		Object version = (serverProperties != null) ? serverProperties.get("version") : null;
		return parse((version != null) ? version.toString() : null);
	}

	/** {@code 3.10.8}, {@code 4.0.5}, {@code 4.1.0-rc.1}; {@link #OLDEST} when unreadable. */
	static RabbitServerVersion parse(@Nullable String version) {
		Matcher matcher = VERSION.matcher((version != null) ? version.trim() : "");
		if (!matcher.find()) {
			return OLDEST;
		}
		return new RabbitServerVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
				(matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 0);
	}

	/**
	 * Whether a consumer can set its own delivery acknowledgement timeout ({@code x-consumer-timeout},
	 * 3.11.15 and 3.12 on), above the broker's {@code consumer_timeout}.
	 */
	boolean perConsumerTimeout() {
		return atLeast(3, 12, 0) || (this.major == 3 && this.minor == 11 && this.patch >= 15);
	}

	/**
	 * The delivery limit a quorum queue has when declared without {@code x-delivery-limit}: 20 from
	 * 4.0 on, none before. Worker always sets its own, so that the broker never drops a task on
	 * either side of the change.
	 */
	int defaultDeliveryLimit() {
		return atLeast(4, 0, 0) ? 20 : 0;
	}

	boolean atLeast(int major, int minor, int patch) {
		if (this.major != major) {
			return this.major > major;
		}
		if (this.minor != minor) {
			return this.minor > minor;
		}
		return this.patch >= patch;
	}

	@Override
	public String toString() {
		return this.major + "." + this.minor + "." + this.patch;
	}

}
