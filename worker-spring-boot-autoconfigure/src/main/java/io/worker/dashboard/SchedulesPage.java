package io.worker.dashboard;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.worker.RecurringTasks;
import io.worker.ScheduleFire;
import io.worker.ScheduleInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recurring tasks: cron or interval, zone, next and last fire, the recent fires, and enable,
 * disable and trigger now for an operator.
 */
final class SchedulesPage {

	private static final Logger logger = LoggerFactory.getLogger(SchedulesPage.class);

	private final @Nullable RecurringTasks recurringTasks;

	private final Layout layout;

	SchedulesPage(@Nullable RecurringTasks recurringTasks, Layout layout) {
		this.recurringTasks = recurringTasks;
		this.layout = layout;
	}

	String render(Viewer viewer) {
		if (this.recurringTasks == null) {
			return this.layout.page("Schedules", "<p data-test=\"no-schedules\">Recurring tasks are not available on this backend.</p>");
		}
		List<ScheduleInfo> schedules = this.recurringTasks.list();
		StringBuilder body = new StringBuilder("<table class=\"schedules\" id=\"schedules\"><thead><tr><th>Name</th><th>When</th>"
				+ "<th>Zone</th><th>Task</th><th>Next fire</th><th>Last fire</th><th>Last outcome</th><th>Recent fires</th>"
				+ (viewer.canAct() ? "<th>Actions</th>" : "") + "</tr></thead><tbody>");
		for (ScheduleInfo info : schedules) {
			String name = info.schedule().name();
			String when = (info.schedule().cron() != null) ? info.schedule().cron() : "every " + info.schedule().every();
			body.append("<tr data-test=\"schedule-row\" data-name=\"").append(Html.escape(name)).append("\"><td>")
				.append(Html.escape(name)).append(info.schedule().enabled() ? "" : " <span class=\"badge paused\" data-test=\"disabled\">disabled</span>")
				.append("</td><td>").append(Html.escape(when)).append("</td><td>").append(Html.escape(info.schedule().zone().getId()))
				.append("</td><td>").append(Html.escape(info.schedule().task())).append("</td><td data-test=\"next-fire\">")
				.append(info.nextFireAt() != null ? seconds(info.nextFireAt()) : "").append("</td><td data-test=\"last-fire\">")
				.append(info.lastFireAt() != null ? seconds(info.lastFireAt()) : "").append("</td><td>")
				.append(info.lastOutcome() != null ? info.lastOutcome().name().toLowerCase() : "").append("</td><td><ul class=\"fires\">");
			for (ScheduleFire fire : info.history()) {
				body.append("<li>").append(seconds(fire.tick())).append(" → ").append(Html.escape(fire.taskId())).append("</li>");
			}
			body.append("</ul></td>");
			if (viewer.canAct()) {
				String path = "/schedules/" + Html.url(name) + "/";
				body.append("<td class=\"actions\">")
					.append(info.schedule().enabled() ? this.layout.button(viewer, path + "disable", "Disable", "disable", "", null)
							: this.layout.button(viewer, path + "enable", "Enable", "enable", "", null))
					.append(this.layout.button(viewer, path + "trigger", "Trigger now", "trigger", "", null)).append("</td>");
			}
			body.append("</tr>");
		}
		body.append("</tbody></table>");
		if (schedules.isEmpty()) {
			body.append("<p>No schedule yet.</p>");
		}
		return this.layout.page("Schedules", body.toString());
	}

	// to the second: a fire's nanoseconds only widen the table
	private static String seconds(Instant instant) {
		return instant.truncatedTo(ChronoUnit.SECONDS).toString();
	}

	void act(String user, String name, String action) {
		if (this.recurringTasks == null) {
			throw new IllegalArgumentException("Recurring tasks are not available on this backend");
		}
		switch (action) {
			case "enable" -> this.recurringTasks.enable(name);
			case "disable" -> this.recurringTasks.disable(name);
			case "trigger" -> this.recurringTasks.trigger(name);
			default -> throw new IllegalArgumentException("No such schedule action: " + action);
		}
		logger.info("Dashboard: {} did {} on schedule {}", user, action, name);
	}

}
