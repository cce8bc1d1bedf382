package io.worker;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A recurring task: when it fires (a cron expression in a zone, or a fixed rate) and the task each
 * tick enqueues. Immutable; {@link #toBuilder()} makes a changed copy.
 *
 * <pre class="code">
 * Schedule.builder("user-activity-report")
 *     .cron(Cron.weekly(DayOfWeek.MONDAY, 6, 0))
 *     .zone(ZoneId.of("Europe/Berlin"))
 *     .task("report:user-activity")
 *     .payload(Map.of("days", 7))
 *     .misfire(MisfirePolicy.fireOnce(Duration.ofHours(1)))
 *     .overlap(OverlapPolicy.SKIP)
 *     .build();
 * </pre>
 *
 * The cron syntax is Spring's {@code CronExpression} (six fields, seconds first); it and the zone
 * are checked when the schedule is added. A fixed-rate schedule ticks at the multiples of its
 * period since the epoch, so every instance agrees on its ticks.
 */
public final class Schedule {

	private static final int MAX_NAME_LENGTH = 200;

	private final String name;

	private final @Nullable String cron;

	private final @Nullable Duration every;

	private final ZoneId zone;

	private final String task;

	private final @Nullable Object payload;

	private final @Nullable String queue;

	private final @Nullable Integer maxRetries;

	private final @Nullable Duration timeout;

	private final boolean enabled;

	private final MisfirePolicy misfire;

	private final OverlapPolicy overlap;

	private Schedule(Builder b) {
		this.name = b.name;
		this.cron = b.cron;
		this.every = b.every;
		this.zone = b.zone;
		this.task = Objects.requireNonNull(b.task);
		this.payload = b.payload;
		this.queue = b.queue;
		this.maxRetries = b.maxRetries;
		this.timeout = b.timeout;
		this.enabled = b.enabled;
		this.misfire = b.misfire;
		this.overlap = b.overlap;
	}

	/**
	 * Start a schedule.
	 * @param name its name, unique among the schedules sharing a backend; part of each tick's task id
	 * @return the builder
	 */
	public static Builder builder(String name) {
		if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH
				|| name.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("Schedule name must be 1 to " + MAX_NAME_LENGTH
					+ " characters without whitespace, was '" + name + "'");
		}
		return new Builder(name);
	}

	/** A builder holding this schedule's settings. */
	public Builder toBuilder() {
		Builder b = new Builder(this.name);
		b.cron = this.cron;
		b.every = this.every;
		b.zone = this.zone;
		b.task = this.task;
		b.payload = this.payload;
		b.queue = this.queue;
		b.maxRetries = this.maxRetries;
		b.timeout = this.timeout;
		b.enabled = this.enabled;
		b.misfire = this.misfire;
		b.overlap = this.overlap;
		return b;
	}

	public String name() {
		return this.name;
	}

	/** The cron expression, or {@code null} for a fixed-rate schedule. */
	public @Nullable String cron() {
		return this.cron;
	}

	/** The fixed rate, or {@code null} for a cron schedule. */
	public @Nullable Duration every() {
		return this.every;
	}

	/** The zone the cron expression is read in; UTC unless set. */
	public ZoneId zone() {
		return this.zone;
	}

	/** The type of the task each tick enqueues. */
	public String task() {
		return this.task;
	}

	/** The payload of each tick's task, or {@code null}. */
	public @Nullable Object payload() {
		return this.payload;
	}

	/** The queue of each tick's task, or {@code null} for its type's queue. */
	public @Nullable String queue() {
		return this.queue;
	}

	public @Nullable Integer maxRetries() {
		return this.maxRetries;
	}

	public @Nullable Duration timeout() {
		return this.timeout;
	}

	public boolean enabled() {
		return this.enabled;
	}

	public MisfirePolicy misfire() {
		return this.misfire;
	}

	public OverlapPolicy overlap() {
		return this.overlap;
	}

	/** The schedule as a task to enqueue (without its tick's id). */
	public Task toTask() {
		Task t = Task.of(this.task, this.payload);
		if (this.queue != null) {
			t = t.queue(this.queue);
		}
		if (this.maxRetries != null) {
			t = t.maxRetries(this.maxRetries);
		}
		if (this.timeout != null) {
			t = t.timeout(this.timeout);
		}
		return t;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof Schedule that)) {
			return false;
		}
		return this.enabled == that.enabled && this.name.equals(that.name) && Objects.equals(this.cron, that.cron)
				&& Objects.equals(this.every, that.every) && this.zone.equals(that.zone) && this.task.equals(that.task)
				&& Objects.equals(this.payload, that.payload) && Objects.equals(this.queue, that.queue)
				&& Objects.equals(this.maxRetries, that.maxRetries) && Objects.equals(this.timeout, that.timeout)
				&& this.misfire.equals(that.misfire) && this.overlap == that.overlap;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.cron, this.every, this.zone, this.task, this.queue);
	}

	@Override
	public String toString() {
		return "Schedule[name=" + this.name + ", " + ((this.cron != null) ? "cron=" + this.cron : "every=" + this.every)
				+ ", zone=" + this.zone + ", task=" + this.task + ", enabled=" + this.enabled + "]";
	}

	/** Builds a {@link Schedule}; it needs a cron expression or a fixed rate, and a task type. */
	public static final class Builder {

		private final String name;

		private @Nullable String cron;

		private @Nullable Duration every;

		private ZoneId zone = ZoneOffset.UTC;

		private @Nullable String task;

		private @Nullable Object payload;

		private @Nullable String queue;

		private @Nullable Integer maxRetries;

		private @Nullable Duration timeout;

		private boolean enabled = true;

		private MisfirePolicy misfire = MisfirePolicy.skip();

		private OverlapPolicy overlap = OverlapPolicy.ALLOW;

		private Builder(String name) {
			this.name = name;
		}

		/** Fire on this Spring cron expression, such as {@code "0 *&#47;5 * * * *"} or {@link Cron#hourly()}. */
		public Builder cron(String cron) {
			if (cron == null || cron.isBlank()) {
				throw new IllegalArgumentException("Schedule '" + this.name + "': cron must not be empty");
			}
			this.cron = cron.trim();
			this.every = null;
			return this;
		}

		/** Fire at a fixed rate, at whole seconds: at least one second. */
		public Builder every(Duration every) {
			if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0 || every.getNano() != 0) {
				throw new IllegalArgumentException(
						"Schedule '" + this.name + "': every must be whole seconds, at least 1s, was " + every);
			}
			this.every = every;
			this.cron = null;
			return this;
		}

		/** Read the cron expression in this zone instead of UTC. */
		public Builder zone(ZoneId zone) {
			this.zone = Objects.requireNonNull(zone, "zone must not be null");
			return this;
		}

		/** The type of the task each tick enqueues. */
		public Builder task(String type) {
			if (type == null || type.isBlank()) {
				throw new IllegalArgumentException("Schedule '" + this.name + "': task type must not be empty");
			}
			this.task = type;
			return this;
		}

		/** The payload of each tick's task, written as JSON. */
		public Builder payload(@Nullable Object payload) {
			this.payload = payload;
			return this;
		}

		/** The queue of each tick's task instead of its type's queue. */
		public Builder queue(@Nullable String queue) {
			this.queue = (queue != null && !queue.isBlank()) ? queue : null;
			return this;
		}

		/** The retries of each tick's task instead of its type's setting. */
		public Builder maxRetries(@Nullable Integer maxRetries) {
			if (maxRetries != null && maxRetries < 0) {
				throw new IllegalArgumentException("Schedule '" + this.name + "': maxRetries must not be negative");
			}
			this.maxRetries = maxRetries;
			return this;
		}

		/** The timeout of each tick's task instead of its type's setting. */
		public Builder timeout(@Nullable Duration timeout) {
			if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
				throw new IllegalArgumentException("Schedule '" + this.name + "': timeout must be positive");
			}
			this.timeout = timeout;
			return this;
		}

		/** Whether the schedule fires; {@code true} unless set. */
		public Builder enabled(boolean enabled) {
			this.enabled = enabled;
			return this;
		}

		/** What to do with missed ticks; {@link MisfirePolicy#skip()} unless set. */
		public Builder misfire(MisfirePolicy misfire) {
			this.misfire = Objects.requireNonNull(misfire, "misfire must not be null");
			return this;
		}

		/** Whether a tick fires while the previous one's task runs; {@link OverlapPolicy#ALLOW} unless set. */
		public Builder overlap(OverlapPolicy overlap) {
			this.overlap = Objects.requireNonNull(overlap, "overlap must not be null");
			return this;
		}

		/**
		 * Build the schedule.
		 * @throws IllegalArgumentException when it has neither a cron expression nor a rate, or no task type
		 */
		public Schedule build() {
			if (this.cron == null && this.every == null) {
				throw new IllegalArgumentException("Schedule '" + this.name + "' needs a cron expression or a rate (every)");
			}
			if (this.task == null) {
				throw new IllegalArgumentException("Schedule '" + this.name + "' needs a task type");
			}
			return new Schedule(this);
		}

	}

}
