package io.worker.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;

/**
 * Search by id, type, error text and payload substring. No backend has an index over payloads or
 * errors, so this is a bounded scan of the listable states of every queue, and the page says how
 * many tasks it read and whether it stopped at the bound. Payloads are searched redacted, so that a
 * masked value cannot be found by guessing it.
 */
final class SearchPage {

	static final int SCAN_PAGE = 500;

	static final int MAX_RESULTS = 100;

	private final TaskInspector inspector;

	private final Layout layout;

	private final Actions actions;

	private final PayloadRedactor redactor;

	private final int scanLimit;

	SearchPage(TaskInspector inspector, Layout layout, Actions actions, PayloadRedactor redactor, int scanLimit) {
		this.inspector = inspector;
		this.layout = layout;
		this.actions = actions;
		this.redactor = redactor;
		this.scanLimit = scanLimit;
	}

	String render(String query) {
		StringBuilder body = new StringBuilder("<form method=\"get\" action=\"").append(this.layout.base())
			.append("/search\"><input type=\"search\" name=\"q\" value=\"").append(Html.escape(query))
			.append("\" data-test=\"search-query\" aria-label=\"Search\"> <button type=\"submit\" data-test=\"search-submit\">Search</button></form>");
		if (query.isBlank()) {
			return this.layout.page("Search", body.toString());
		}
		String needle = query.toLowerCase(Locale.ROOT);
		List<TaskDetail> found = new ArrayList<>();
		int scanned = 0;
		boolean truncated = false;
		for (QueueInfo queue : this.inspector.queues()) {
			if (this.actions.canFind()) {
				this.inspector.task(queue.name(), query).ifPresent(found::add);
			}
			for (TaskState state : TaskState.values()) {
				if (!queue.knows(state) || queue.size(state) == 0 || !this.actions.canList(state)) {
					continue;
				}
				for (int page = 0; found.size() < MAX_RESULTS; page++) {
					if (scanned >= this.scanLimit) {
						truncated = true;
						break;
					}
					List<TaskDetail> tasks = this.inspector.tasks(queue.name(), state, page, SCAN_PAGE);
					for (TaskDetail task : tasks) {
						scanned++;
						if (matches(task, needle) && found.stream().noneMatch((t) -> t.handle().equals(task.handle()))) {
							found.add(task);
						}
					}
					if (tasks.size() < SCAN_PAGE) {
						break;
					}
				}
			}
		}
		body.append("<p class=\"scan\" data-test=\"scan-note\">Scanned <span data-test=\"scanned\">").append(scanned)
			.append("</span> tasks (no index: a bounded scan of at most ").append(this.scanLimit)
			.append(" tasks, by id, type, error and redacted payload)")
			.append(truncated ? "; <strong data-test=\"scan-truncated\">stopped at the bound</strong>, narrow the search or raise worker.dashboard.search-scan-limit" : "")
			.append(". Found <span data-test=\"found\">").append(found.size()).append("</span>")
			.append(found.size() >= MAX_RESULTS ? " (first " + MAX_RESULTS + ")" : "").append(".</p>");
		body.append("<table class=\"tasks\" id=\"results\"><thead><tr><th>Id</th><th>Queue</th><th>State</th><th>Type</th><th>Last error</th></tr></thead><tbody>");
		for (TaskDetail task : found) {
			body.append("<tr data-test=\"result-row\" data-id=\"").append(Html.escape(task.id())).append("\"><td><a href=\"")
				.append(this.layout.base()).append("/queues/").append(Html.url(task.queue())).append("/tasks/")
				.append(Html.url(task.handle())).append("\">").append(Html.escape(task.id())).append("</a></td><td>")
				.append(Html.escape(task.queue())).append("</td><td>").append(task.state().name().toLowerCase())
				.append("</td><td>").append(Html.escape(task.type())).append("</td><td>")
				.append(task.lastError() != null ? Html.escape(task.lastError().lines().findFirst().orElse("")) : "")
				.append("</td></tr>");
		}
		body.append("</tbody></table>");
		return this.layout.page("Search", body.toString());
	}

	private boolean matches(TaskDetail task, String needle) {
		return contains(task.id(), needle) || contains(task.type(), needle)
				|| task.lastError() != null && contains(task.lastError(), needle)
				|| contains(this.redactor.redactCompact(task.payload()), needle);
	}

	private static boolean contains(String text, String needle) {
		return text.toLowerCase(Locale.ROOT).contains(needle);
	}

}
