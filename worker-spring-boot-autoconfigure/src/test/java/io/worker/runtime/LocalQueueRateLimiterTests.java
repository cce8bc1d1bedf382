package io.worker.runtime;

import java.time.Duration;
import java.util.Map;

import io.worker.spi.RateLimit;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalQueueRateLimiterTests {

	private final MutableClock clock = MutableClock.atEpochDay();

	private final LocalQueueRateLimiter limiter = new LocalQueueRateLimiter(
			Map.of("emails", new RateLimit(2, Duration.ofSeconds(1))), this.clock);

	@Test
	void permitsRunOutWithinAPeriodAndComeBackInTheNext() {
		assertThat(this.limiter.hasPermit("emails")).isTrue();
		this.limiter.recordStart("emails");
		this.limiter.recordStart("emails");
		assertThat(this.limiter.hasPermit("emails")).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.limiter.hasPermit("emails")).isTrue();
	}

	@Test
	void queuesWithoutLimitAlwaysHavePermits() {
		for (int i = 0; i < 100; i++) {
			this.limiter.recordStart("default");
		}
		assertThat(this.limiter.hasPermit("default")).isTrue();
	}

}
