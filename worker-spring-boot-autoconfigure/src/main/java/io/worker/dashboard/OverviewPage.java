package io.worker.dashboard;

import java.util.List;

import io.worker.QueueInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.WorkerInfo;

/**
 * The overview: every queue with its counts per state as a stacked bar, its paused flag, and a
 * warning when it has pending tasks and no live worker consumes it.
 */
final class OverviewPage {

	private final TaskInspector inspector;

	private final Layout layout;

	OverviewPage(TaskInspector inspector, Layout layout) {
		this.inspector = inspector;
		this.layout = layout;
	}

	String render() {
		List<QueueInfo> queues = this.inspector.queues();
		List<WorkerInfo> workers = this.inspector.workers();
		StringBuilder body = new StringBuilder("<table class=\"queues\"><thead><tr><th>Queue</th>");
		for (TaskState state : TaskState.values()) {
			body.append("<th>").append(state.name().toLowerCase()).append("</th>");
		}
		body.append("<th>Share</th></tr></thead><tbody>");
		for (QueueInfo queue : queues) {
			body.append(row(queue, workers));
		}
		body.append("</tbody></table>");
		if (queues.isEmpty()) {
			body.append("<p>No queue has been used yet.</p>");
		}
		return this.layout.page("Overview", body.toString());
	}

	private String row(QueueInfo queue, List<WorkerInfo> workers) {
		String href = this.layout.base() + "/queues/" + Html.url(queue.name());
		StringBuilder row = new StringBuilder("<tr><td><a href=\"").append(href).append("\">")
			.append(Html.escape(queue.name()))
			.append("</a>");
		if (queue.paused()) {
			row.append(" <span class=\"badge paused\">paused</span>");
		}
		if (queue.size(TaskState.PENDING) > 0 && workers.stream().noneMatch((w) -> w.queues().containsKey(queue.name()))) {
			row.append(" <span class=\"badge warn\">pending tasks and no live worker</span>");
		}
		row.append("</td>");
		long total = 0;
		for (TaskState state : TaskState.values()) {
			row.append("<td class=\"n\">").append(queue.knows(state) ? Long.toString(queue.size(state)) : "–").append("</td>");
			total += queue.size(state);
		}
		row.append("<td>").append(bar(queue, total)).append("</td></tr>");
		return row.toString();
	}

	// widths as classes in steps of 5%, since a strict CSP forbids inline style attributes
	private static String bar(QueueInfo queue, long total) {
		StringBuilder bar = new StringBuilder("<div class=\"bar\">");
		for (TaskState state : TaskState.values()) {
			long size = queue.size(state);
			if (size > 0) {
				long step = Math.max(1, Math.round(20.0 * size / total));
				bar.append("<span class=\"s-").append(state.name().toLowerCase()).append(" w").append(step * 5)
					.append("\" title=\"").append(state.name().toLowerCase()).append(": ").append(size).append("\"></span>");
			}
		}
		return bar.append("</div>").toString();
	}

}
