package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

import io.worker.Schedule;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;

/**
 * The ticks of one schedule. A cron expression is matched against local date-times in the
 * schedule's zone, then each is mapped to an instant: a time in a spring-forward gap to the end
 * of the gap (where Spring's {@link CronExpression} alone would skip it), a time in a repeated
 * hour to its first occurrence only. Ticks that map to the same instant fire once. A fixed rate
 * ticks at the multiples of its period since the epoch.
 */
final class ScheduleTicks {

	/** The most local matches looked at for one next tick (a repeated hour of every-second ticks). */
	private static final int MAX_MATCHES = 100_000;

	private final @Nullable CronExpression cron;

	private final long periodSeconds;

	private final ZoneRules rules;

	private ScheduleTicks(@Nullable CronExpression cron, long periodSeconds, ZoneId zone) {
		this.cron = cron;
		this.periodSeconds = periodSeconds;
		this.rules = zone.getRules();
	}

	/**
	 * The ticks of a schedule.
	 * @throws IllegalArgumentException when its cron expression is invalid, naming the schedule
	 */
	static ScheduleTicks of(Schedule schedule) {
		if (schedule.cron() == null) {
			Duration every = schedule.every();
			return new ScheduleTicks(null, (every != null) ? every.toSeconds() : 1, schedule.zone());
		}
		try {
			return new ScheduleTicks(CronExpression.parse(schedule.cron()), 0, schedule.zone());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Schedule '" + schedule.name() + "' has an invalid cron expression '"
					+ schedule.cron() + "': " + ex.getMessage(), ex);
		}
	}

	/** The first tick strictly after {@code after}, or {@code null} when there is none. */
	@Nullable Instant next(Instant after) {
		if (this.cron == null) {
			long seconds = Math.floorDiv(after.getEpochSecond(), this.periodSeconds) * this.periodSeconds;
			return Instant.ofEpochSecond(seconds + this.periodSeconds);
		}
		LocalDateTime local = LocalDateTime.ofInstant(after, this.rules.getOffset(after));
		for (int i = 0; i < MAX_MATCHES; i++) {
			local = this.cron.next(local);
			if (local == null) {
				return null;
			}
			Instant at = instant(local);
			if (at.isAfter(after)) {
				return at;
			}
		}
		return null;
	}

	private Instant instant(LocalDateTime local) {
		List<java.time.ZoneOffset> offsets = this.rules.getValidOffsets(local);
		if (offsets.isEmpty()) {
			ZoneOffsetTransition gap = this.rules.getTransition(local);
			return gap.getInstant();
		}
		// in a repeated hour the first offset is the earlier one: the tick fires in the first pass only
		return local.toInstant(offsets.get(0));
	}

}
