package io.worker.backend.rabbitmq;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RabbitNames}: the routing keys and bindings of the binary delay levels.
 */
class RabbitNamesTests {

	private final RabbitNames names = new RabbitNames("worker");

	@Test
	void aDelayIsRoutedByItsBitsMostSignificantFirstThenTheQueue() {
		String key = RabbitNames.delayRoutingKey(5, "emails");

		assertThat(key).endsWith(".1.0.1.emails").startsWith("0.0.");
		assertThat(key.split("\\.")).hasSize(RabbitNames.LEVELS + 1);
	}

	@Test
	void aDelayEntersAtTheLevelOfItsHighestBit() {
		assertThat(this.names.delayExchange(1)).isEqualTo("worker.delay.00");
		assertThat(this.names.delayExchange(5)).isEqualTo("worker.delay.02");
		assertThat(this.names.delayExchange(3600)).isEqualTo("worker.delay.11");
		assertThat(this.names.delayExchange(RabbitNames.MAX_DELAY.toSeconds())).isEqualTo("worker.delay.27");
	}

	@Test
	void eachLevelLooksAtItsOwnBit() {
		assertThat(RabbitNames.levelBinding(RabbitNames.LEVELS - 1, 1)).isEqualTo("1.#");
		assertThat(RabbitNames.levelBinding(0, 0)).isEqualTo("*.".repeat(RabbitNames.LEVELS - 1) + "0.#");
	}

	@Test
	void theDueBindingMatchesExactlyTheQueueName() {
		// a queue "b" must not receive the tasks of a queue "a.b": the bits are a fixed number of words
		assertThat(RabbitNames.dueBinding("a.b")).isEqualTo("*.".repeat(RabbitNames.LEVELS) + "a.b");
	}

	@Test
	void delaysAreRoundedUpToWholeSecondsSoThatNoTaskArrivesEarly() {
		Instant now = Instant.parse("2030-01-01T00:00:00Z");

		assertThat(RabbitRouter.delaySeconds(now.plusMillis(1), now)).isEqualTo(1);
		assertThat(RabbitRouter.delaySeconds(now.plusMillis(1000), now)).isEqualTo(1);
		assertThat(RabbitRouter.delaySeconds(now.plusMillis(1001), now)).isEqualTo(2);
		assertThat(RabbitRouter.delaySeconds(now.minusSeconds(5), now)).isZero();
	}

	@Test
	void delaysAndQueueNamesOutsideWhatTheLevelsCanRouteAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RabbitNames.delayRoutingKey(0, "q"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RabbitNames.delayRoutingKey(RabbitNames.MAX_DELAY.toSeconds() + 1, "q"));
		assertThatIllegalArgumentException().isThrownBy(() -> RabbitNames.checkQueueName("a.*"));
		assertThatIllegalArgumentException().isThrownBy(() -> RabbitNames.checkQueueName("a..b"));
		RabbitNames.checkQueueName("emails.high-priority");
	}

}
