package io.worker;

import java.util.List;
import java.util.Optional;

/**
 * Manages recurring tasks at runtime. Injected as a bean. Schedules live in the backend, so a
 * change made on one instance is seen by every instance sharing it; each tick enqueues one
 * ordinary task, exactly once across every instance running the scheduler.
 *
 * <pre class="code">
 * recurringTasks.upsert(Schedule.builder("user-activity-report")
 *     .cron(Cron.daily(6, 0)).zone(ZoneId.of("Europe/Berlin"))
 *     .task("report:user-activity")
 *     .build());
 * </pre>
 */
public interface RecurringTasks {

	/**
	 * Add a schedule, or replace the one with the same name. A new schedule fires no tick earlier
	 * than now; a replaced one keeps its last fired tick and history.
	 * @param schedule the schedule
	 * @return the schedule as stored
	 * @throws IllegalArgumentException when its cron expression or zone is invalid, naming the schedule
	 */
	ScheduleInfo upsert(Schedule schedule);

	/**
	 * Remove a schedule; a task it enqueued is left alone.
	 * @return whether it existed
	 */
	boolean remove(String name);

	/**
	 * Let a schedule fire again, from now on (the ticks while it was disabled are not fired).
	 * @throws IllegalArgumentException when there is no such schedule
	 */
	void enable(String name);

	/**
	 * Stop a schedule from firing, keeping it.
	 * @throws IllegalArgumentException when there is no such schedule
	 */
	void disable(String name);

	/**
	 * Enqueue the schedule's task now, outside its ticks, whether it is enabled or not.
	 * @return the task enqueued
	 * @throws IllegalArgumentException when there is no such schedule
	 */
	TaskInfo trigger(String name);

	/** One schedule. */
	Optional<ScheduleInfo> get(String name);

	/** Every schedule, by name. */
	List<ScheduleInfo> list();

}
