package io.worker.backend.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.worker.spi.ScheduleStore;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the claims of {@link InMemoryScheduleStore}: one winner per tick while the claim
 * lives, on the store's clock.
 */
class InMemoryScheduleClaimTests {

	private final MutableClock clock = MutableClock.atEpochDay();

	private final ScheduleStore store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 10,
			Duration.ofDays(1), new TaskRecorder(10))
		.scheduleStore();

	@Test
	void aTickHasOneWinnerUntilItsClaimExpires() {
		Instant tick = this.clock.instant();
		this.store.save("report", Map.of("cron", "0 * * * * *"));
		assertThat(this.store.claimTick("report", tick, Duration.ofSeconds(30))).isTrue();
		assertThat(this.store.claimTick("report", tick, Duration.ofSeconds(30))).isFalse();
		assertThat(this.store.claimTick("other", tick, Duration.ofSeconds(30))).isTrue();
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.store.claimTick("report", tick, Duration.ofSeconds(30))).isTrue();
	}

	@Test
	void theLastTickNeverGoesBack() {
		this.store.save("report", Map.of());
		Instant later = this.clock.instant().plusSeconds(60);
		this.store.advance("report", later);
		this.store.advance("report", this.clock.instant());
		assertThat(this.store.get("report").orElseThrow().lastTick()).isEqualTo(later);
		this.store.remove("report");
		this.store.advance("report", later);
		assertThat(this.store.get("report")).isEmpty();
	}

}
