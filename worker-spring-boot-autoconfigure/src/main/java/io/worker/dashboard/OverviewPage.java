package io.worker.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.Capability;

/**
 * The overview: every queue with its counts per state as a stacked bar, its paused flag, the age of
 * its oldest pending task, a warning when it has pending tasks and no live worker consumes it, and
 * the attempts finished per minute over the last hour.
 */
final class OverviewPage {

	private final TaskInspector inspector;

	private final Set<Capability> capabilities;

	private final Layout layout;

	private final Throughput throughput;

	private final Clock clock;

	OverviewPage(TaskInspector inspector, Set<Capability> capabilities, Layout layout, Throughput throughput,
			Clock clock) {
		this.inspector = inspector;
		this.capabilities = capabilities;
		this.layout = layout;
		this.throughput = throughput;
		this.clock = clock;
	}

	String render(boolean fragment) {
		List<QueueInfo> queues = this.inspector.queues();
		List<WorkerInfo> workers = this.inspector.workers();
		StringBuilder body = new StringBuilder("<table class=\"queues\" id=\"queues\"><thead><tr><th>Queue</th>");
		for (TaskState state : TaskState.values()) {
			if (state != TaskState.DISCARDED) {
				body.append("<th>").append(state.name().toLowerCase()).append("</th>");
			}
		}
		body.append("<th>Share</th><th>Oldest pending</th></tr></thead><tbody>");
		for (QueueInfo queue : queues) {
			body.append(row(queue, workers));
		}
		body.append("</tbody></table>");
		if (queues.isEmpty()) {
			body.append("<p>No queue has been used yet.</p>");
		}
		body.append("<h2>Attempts finished per minute, last hour (this instance)</h2>")
			.append(Charts.perMinute(this.throughput.lastHour()));
		if (fragment) {
			return body.toString();
		}
		return this.layout.page("Overview", Live.wrap(this.layout.base() + "/?fragment=true", body.toString()));
	}

	private String row(QueueInfo queue, List<WorkerInfo> workers) {
		String href = this.layout.base() + "/queues/" + Html.url(queue.name());
		String name = Html.escape(queue.name());
		StringBuilder row = new StringBuilder("<tr data-test=\"queue-row\" data-queue=\"").append(name)
			.append("\"><td><a href=\"")
			.append(href)
			.append("\">")
			.append(name)
			.append("</a>");
		if (queue.paused()) {
			row.append(" <span class=\"badge paused\" data-test=\"paused\">paused</span>");
		}
		if (queue.size(TaskState.PENDING) > 0 && workers.stream().noneMatch((w) -> w.queues().containsKey(queue.name()))) {
			row.append(" <span class=\"badge warn\" data-test=\"no-worker\">pending tasks and no live worker</span>");
		}
		row.append("</td>");
		for (TaskState state : TaskState.values()) {
			if (state != TaskState.DISCARDED) {
				row.append("<td class=\"n\" data-test=\"count\" data-queue=\"").append(name).append("\" data-state=\"")
					.append(state.name().toLowerCase()).append("\">")
					.append(queue.knows(state) ? Long.toString(queue.size(state)) : "–").append("</td>");
			}
		}
		row.append("<td>").append(Charts.stackedBar(queue)).append("</td><td class=\"n\" data-test=\"oldest-pending\">")
			.append(oldestPending(queue)).append("</td></tr>");
		return row.toString();
	}

	private String oldestPending(QueueInfo queue) {
		if (!this.capabilities.contains(Capability.LIST_TASKS)) {
			return "–";
		}
		if (queue.size(TaskState.PENDING) == 0) {
			return "";
		}
		List<TaskDetail> oldest = this.inspector.tasks(queue.name(), TaskState.PENDING, 0, 1);
		if (oldest.isEmpty()) {
			return "";
		}
		TaskDetail task = oldest.get(0);
		java.time.Instant since = (task.nextProcessAt() != null) ? task.nextProcessAt() : task.enqueuedAt();
		return Charts.age(Duration.between(since, this.clock.instant()));
	}

}
