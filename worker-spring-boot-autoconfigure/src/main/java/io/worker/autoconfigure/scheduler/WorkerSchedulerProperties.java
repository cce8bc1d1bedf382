package io.worker.autoconfigure.scheduler;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.MisfirePolicy;
import io.worker.OverlapPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of Worker's recurring tasks.
 */
@ConfigurationProperties("worker.scheduler")
public class WorkerSchedulerProperties {

	/**
	 * Whether this instance runs the scheduler that fires the ticks of every schedule in the
	 * backend. Any number of instances may: each tick fires once.
	 */
	private boolean enabled = true;

	/**
	 * How often the scheduler looks for due ticks.
	 */
	private Duration interval = Duration.ofSeconds(1);

	/**
	 * How late a tick may still fire as on time; older ticks are misfires, left to their schedule's
	 * misfire policy. At least the interval.
	 */
	private Duration misfireThreshold = Duration.ofMinutes(1);

	/**
	 * How many fires each schedule's history keeps.
	 */
	private int historySize = 20;

	/**
	 * Schedules, by name.
	 */
	private Map<String, Schedule> schedules = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

	public Duration getMisfireThreshold() {
		return this.misfireThreshold;
	}

	public void setMisfireThreshold(Duration misfireThreshold) {
		this.misfireThreshold = misfireThreshold;
	}

	public int getHistorySize() {
		return this.historySize;
	}

	public void setHistorySize(int historySize) {
		this.historySize = historySize;
	}

	public Map<String, Schedule> getSchedules() {
		return this.schedules;
	}

	public void setSchedules(Map<String, Schedule> schedules) {
		this.schedules = schedules;
	}

	/**
	 * One schedule.
	 */
	public static class Schedule {

		/**
		 * Spring cron expression (six fields, seconds first), such as "0 0 6 * * MON".
		 */
		private @Nullable String cron;

		/**
		 * Fixed rate, in whole seconds, instead of a cron expression.
		 */
		private @Nullable Duration every;

		/**
		 * Time zone the cron expression is read in, such as "Europe/Berlin".
		 */
		private String zone = "UTC";

		/**
		 * Type of the task each tick enqueues.
		 */
		private @Nullable String task;

		/**
		 * Payload of each tick's task: any value, written as JSON.
		 */
		private @Nullable Object payload;

		/**
		 * Queue of each tick's task, instead of its type's queue.
		 */
		private @Nullable String queue;

		/**
		 * Maximum retries of each tick's task, instead of its type's setting.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * Timeout of each tick's task, instead of its type's setting.
		 */
		private @Nullable Duration timeout;

		/**
		 * Whether the schedule fires.
		 */
		private boolean enabled = true;

		private final Misfire misfire = new Misfire();

		/**
		 * Whether a tick fires while the previous tick's task has not finished.
		 */
		private OverlapPolicy overlap = OverlapPolicy.ALLOW;

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable Duration getEvery() {
			return this.every;
		}

		public void setEvery(@Nullable Duration every) {
			this.every = every;
		}

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
		}

		public @Nullable String getTask() {
			return this.task;
		}

		public void setTask(@Nullable String task) {
			this.task = task;
		}

		public @Nullable Object getPayload() {
			return this.payload;
		}

		public void setPayload(@Nullable Object payload) {
			this.payload = payload;
		}

		public @Nullable String getQueue() {
			return this.queue;
		}

		public void setQueue(@Nullable String queue) {
			this.queue = queue;
		}

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Misfire getMisfire() {
			return this.misfire;
		}

		public OverlapPolicy getOverlap() {
			return this.overlap;
		}

		public void setOverlap(OverlapPolicy overlap) {
			this.overlap = overlap;
		}

	}

	/**
	 * What a schedule does with missed ticks.
	 */
	public static class Misfire {

		/**
		 * Policy for ticks no instance fired on time: skip them, fire the latest once within the
		 * grace period, or catch up at most max-ticks of them.
		 */
		private MisfirePolicy.Kind policy = MisfirePolicy.Kind.SKIP;

		/**
		 * For fire-once, how old the latest missed tick may be.
		 */
		private Duration grace = Duration.ZERO;

		/**
		 * For catch-up, the most missed ticks fired, the latest ones.
		 */
		private int maxTicks = 1;

		public MisfirePolicy.Kind getPolicy() {
			return this.policy;
		}

		public void setPolicy(MisfirePolicy.Kind policy) {
			this.policy = policy;
		}

		public Duration getGrace() {
			return this.grace;
		}

		public void setGrace(Duration grace) {
			this.grace = grace;
		}

		public int getMaxTicks() {
			return this.maxTicks;
		}

		public void setMaxTicks(int maxTicks) {
			this.maxTicks = maxTicks;
		}

	}

}
