package io.worker.runtime;

import java.time.Duration;

import io.worker.runtime.Backoff.Strategy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTests {

	@Test
	void exponentialDoublesUpToTheMaximum() {
		Backoff backoff = new Backoff(Strategy.EXPONENTIAL, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0);
		assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
		assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(8));
		assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(10));
		assertThat(backoff.delay(500)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void linearGrowsByTheInitialDelay() {
		Backoff backoff = new Backoff(Strategy.LINEAR, Duration.ofSeconds(3), 2.0, Duration.ofSeconds(10), 0);
		assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(3));
		assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(6));
		assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(9));
		assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void fixedAlwaysWaitsTheInitialDelay() {
		Backoff backoff = new Backoff(Strategy.FIXED, Duration.ofMillis(250), 2.0, Duration.ofSeconds(10), 0);
		assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(250));
		assertThat(backoff.delay(9)).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void jitterStaysWithinItsFractionAndVaries() {
		Backoff backoff = new Backoff(Strategy.FIXED, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 0.2);
		long min = Long.MAX_VALUE;
		long max = Long.MIN_VALUE;
		for (int i = 0; i < 2000; i++) {
			long delay = backoff.delay(1).toMillis();
			min = Math.min(min, delay);
			max = Math.max(max, delay);
		}
		assertThat(min).isGreaterThanOrEqualTo(8000);
		assertThat(max).isLessThanOrEqualTo(12000);
		assertThat(max - min).isGreaterThan(1000);
	}

	@Test
	void invalidSettingsAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Strategy.FIXED, Duration.ofSeconds(-1), 2.0, Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Strategy.FIXED, Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Strategy.FIXED, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1), 1.5));
	}

}
