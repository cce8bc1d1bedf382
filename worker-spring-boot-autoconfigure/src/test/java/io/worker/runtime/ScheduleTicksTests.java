package io.worker.runtime;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import io.worker.Cron;
import io.worker.Schedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ScheduleTicks} and the {@link Cron} helpers, through daylight saving time.
 */
class ScheduleTicksTests {

	@Test
	void helpersWriteSpringCronExpressions() {
		assertThat(Cron.everyMinute()).isEqualTo("0 * * * * *");
		assertThat(Cron.hourly()).isEqualTo("0 0 * * * *");
		assertThat(Cron.daily(3, 30)).isEqualTo("0 30 3 * * *");
		assertThat(Cron.weekly(DayOfWeek.MONDAY, 9, 0)).isEqualTo("0 0 9 * * MON");
		assertThat(Cron.monthly(1, 6, 5)).isEqualTo("0 5 6 1 * *");
		assertThatIllegalArgumentException().isThrownBy(() -> Cron.daily(24, 0)).withMessageContaining("hour");
		Instant monday = Instant.parse("2030-01-07T09:00:00Z");
		assertThat(ticks(Cron.weekly(DayOfWeek.MONDAY, 9, 0), "UTC").next(monday.minusSeconds(1))).isEqualTo(monday);
		assertThat(ticks(Cron.monthly(1, 6, 5), "UTC").next(monday)).isEqualTo(Instant.parse("2030-02-01T06:05:00Z"));
	}

	@Test
	void aTickInTheSpringForwardGapFiresAtTheEndOfTheGapInBerlin() {
		// 2030-03-31: 02:00 CET jumps to 03:00 CEST (01:00 UTC)
		ScheduleTicks ticks = ticks(Cron.daily(2, 30), "Europe/Berlin");
		Instant dayBefore = Instant.parse("2030-03-30T01:30:00Z");
		Instant gap = ticks.next(dayBefore);
		assertThat(gap).isEqualTo(Instant.parse("2030-03-31T01:00:00Z"));
		assertThat(ticks.next(gap)).isEqualTo(Instant.parse("2030-04-01T00:30:00Z"));
	}

	@Test
	void aTickInTheRepeatedHourFiresOnceInBerlin() {
		// 2030-10-27: 03:00 CEST falls back to 02:00 CET, 02:30 happens twice
		ScheduleTicks ticks = ticks(Cron.daily(2, 30), "Europe/Berlin");
		Instant first = ticks.next(Instant.parse("2030-10-26T12:00:00Z"));
		assertThat(first).isEqualTo(Instant.parse("2030-10-27T00:30:00Z"));
		assertThat(ticks.next(first)).isEqualTo(Instant.parse("2030-10-28T01:30:00Z"));
	}

	@Test
	void hourlyTicksThroughBothTransitionsInNewYork() {
		ScheduleTicks ticks = ticks("0 30 * * * *", "America/New_York");
		// 2030-03-10: 02:00 EST jumps to 03:00 EDT (07:00 UTC): 02:30 fires at 03:00, then 03:30
		Instant at = ticks.next(Instant.parse("2030-03-10T06:40:00Z"));
		assertThat(at).isEqualTo(Instant.parse("2030-03-10T07:00:00Z"));
		assertThat(ticks.next(at)).isEqualTo(Instant.parse("2030-03-10T07:30:00Z"));
		// 2030-11-03: 02:00 EDT falls back to 01:00 EST: 01:30 fires once, then 02:30 EST
		at = ticks.next(Instant.parse("2030-11-03T05:00:00Z"));
		assertThat(at).isEqualTo(Instant.parse("2030-11-03T05:30:00Z"));
		assertThat(ticks.next(at)).isEqualTo(Instant.parse("2030-11-03T07:30:00Z"));
	}

	@Test
	void fixedRateTicksAtMultiplesOfItsPeriod() {
		ScheduleTicks ticks = ScheduleTicks.of(Schedule.builder("rate").every(Duration.ofSeconds(30)).task("t").build());
		assertThat(ticks.next(Instant.parse("2030-01-01T00:00:10Z"))).isEqualTo(Instant.parse("2030-01-01T00:00:30Z"));
		assertThat(ticks.next(Instant.parse("2030-01-01T00:00:30Z"))).isEqualTo(Instant.parse("2030-01-01T00:01:00Z"));
	}

	@Test
	void badCronNamesTheSchedule() {
		assertThatIllegalArgumentException().isThrownBy(() -> ticks("not a cron", "UTC"))
			.withMessageContaining("Schedule 'dst'")
			.withMessageContaining("not a cron");
	}

	private static ScheduleTicks ticks(String cron, String zone) {
		return ScheduleTicks.of(Schedule.builder("dst").cron(cron).zone(ZoneId.of(zone)).task("t").build());
	}

}
