package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.impl.LongStringHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the backend does by broker version: newer features only on the brokers that have them, and
 * its own delivery limit on every one.
 */
class RabbitServerVersionTests {

	@Test
	void readsTheVersionTheBrokerSendsAndTakesAnUnreadableOneForTheOldest() {
		assertThat(RabbitServerVersion.of(Map.of("version", LongStringHelper.asLongString("3.10.8"))))
			.isEqualTo(new RabbitServerVersion(3, 10, 8));
		assertThat(RabbitServerVersion.parse("4.1.0-rc.1")).isEqualTo(new RabbitServerVersion(4, 1, 0));
		assertThat(RabbitServerVersion.parse("4.0")).isEqualTo(new RabbitServerVersion(4, 0, 0));
		assertThat(RabbitServerVersion.parse("unknown")).isEqualTo(RabbitServerVersion.OLDEST);
		assertThat(RabbitServerVersion.parse(null)).isEqualTo(RabbitServerVersion.OLDEST);
		assertThat(RabbitServerVersion.of(new HashMap<>())).isEqualTo(RabbitServerVersion.OLDEST);
		assertThat(RabbitServerVersion.of(null)).isEqualTo(RabbitServerVersion.OLDEST);
	}

	@Test
	void perConsumerTimeoutsFrom3_11_15And3_12() {
		assertThat(versions("3.10.8", "3.11.14", "3.9.29")).noneMatch(RabbitServerVersion::perConsumerTimeout);
		assertThat(versions("3.11.15", "3.12.0", "3.13.7", "4.0.5", "4.2.1", "5.0.0"))
			.allMatch(RabbitServerVersion::perConsumerTimeout);
	}

	@Test
	void quorumQueuesHaveADefaultDeliveryLimitOf20From4_0() {
		assertThat(versions("3.10.8", "3.13.7")).allMatch((version) -> version.defaultDeliveryLimit() == 0);
		assertThat(versions("4.0.0", "4.1.4")).allMatch((version) -> version.defaultDeliveryLimit() == 20);
	}

	@Test
	void consumersAskForTheirTimeoutOnlyWhereTheBrokerTakesIt() {
		Duration timeout = Duration.ofHours(2);
		assertThat(RabbitQueueConsumer.arguments(RabbitServerVersion.parse("3.10.8"), timeout)).isEmpty();
		assertThat(RabbitQueueConsumer.arguments(RabbitServerVersion.parse("4.0.5"), timeout))
			.containsExactly(Map.entry("x-consumer-timeout", Duration.ofHours(2).toMillis()));
	}

	@Test
	void quorumQueuesAreAlwaysDeclaredWithWorkersOwnDeliveryLimit() {
		assertThat(RabbitSettings.defaults().deliveryLimit()).isEqualTo(1000);
	}

	private static List<RabbitServerVersion> versions(String... versions) {
		return List.of(versions).stream().map(RabbitServerVersion::parse).toList();
	}

}
