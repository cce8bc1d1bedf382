package io.worker.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.worker.TaskInspector;
import io.worker.WorkerInfo;

/**
 * The live worker servers: host, pid, concurrency, queues and weights, active tasks and the age of
 * their last heartbeat.
 */
final class WorkersPage {

	private final TaskInspector inspector;

	private final Layout layout;

	private final Clock clock;

	WorkersPage(TaskInspector inspector, Layout layout, Clock clock) {
		this.inspector = inspector;
		this.layout = layout;
		this.clock = clock;
	}

	String render(boolean fragment) {
		List<WorkerInfo> workers = this.inspector.workers();
		StringBuilder body = new StringBuilder("<table class=\"workers\" id=\"workers\"><thead><tr><th>Host</th><th>Pid</th>"
				+ "<th>Concurrency</th><th>Queues</th><th>Active</th><th>Heartbeat</th><th>Started</th></tr></thead><tbody>");
		for (WorkerInfo worker : workers) {
			body.append("<tr data-test=\"worker-row\" data-id=\"").append(Html.escape(worker.id())).append("\"><td>")
				.append(Html.escape(worker.host())).append("</td><td class=\"n\">").append(worker.pid())
				.append("</td><td class=\"n\">").append(worker.concurrency()).append("</td><td>");
			for (Map.Entry<String, Integer> queue : worker.queues().entrySet()) {
				body.append(Html.escape(queue.getKey())).append('=').append(queue.getValue()).append(' ');
			}
			body.append(worker.strictPriority() ? "(strict)" : "").append("</td><td class=\"n\" data-test=\"active\">")
				.append(worker.activeTasks()).append("</td><td class=\"n\">")
				.append(Charts.age(Duration.between(worker.lastHeartbeat(), this.clock.instant()))).append(" ago</td><td>")
				.append(worker.startedAt()).append("</td></tr>");
		}
		body.append("</tbody></table>");
		if (workers.isEmpty()) {
			body.append("<p data-test=\"no-workers\">No worker server is alive (or this backend keeps no worker registry).</p>");
		}
		if (fragment) {
			return body.toString();
		}
		return this.layout.page("Workers", Live.wrap(this.layout.base() + "/workers?fragment=true", body.toString()));
	}

}
