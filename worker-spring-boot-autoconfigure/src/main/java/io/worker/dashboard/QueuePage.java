package io.worker.dashboard;

import java.util.List;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.dashboard.Actions.Action;

/**
 * One queue: a tab per state with its count and one server-side page of that state's tasks, so that
 * a state holding 100,000 tasks costs one page of reads; pause and resume; the actions the backend
 * allows on one task, a selection, or every task in the state.
 */
final class QueuePage {

	private final TaskInspector inspector;

	private final Layout layout;

	private final Actions actions;

	private final int pageSize;

	QueuePage(TaskInspector inspector, Layout layout, Actions actions, int pageSize) {
		this.inspector = inspector;
		this.layout = layout;
		this.actions = actions;
		this.pageSize = pageSize;
	}

	String render(String queueName, TaskState state, int page, Viewer viewer, boolean fragment) {
		QueueInfo queue = this.inspector.queue(queueName);
		String path = "/queues/" + Html.url(queueName);
		String href = this.layout.base() + path;
		StringBuilder body = new StringBuilder("<p data-test=\"queue-state\">").append(queue.paused() ? "Paused" : "Running")
			.append("</p>");
		if (viewer.canAct() && this.actions.canPause()) {
			body.append(queue.paused() ? this.layout.button(viewer, path + "/resume", "Resume", "resume", "", null)
					: this.layout.button(viewer, path + "/pause", "Pause", "pause", "", null));
		}
		body.append("<ul class=\"tabs\">");
		for (TaskState tab : TaskState.values()) {
			if (queue.knows(tab)) {
				body.append("<li").append(tab == state ? " class=\"current\"" : "").append("><a data-test=\"tab\" data-state=\"")
					.append(tab.name().toLowerCase()).append("\" href=\"").append(href).append("?state=").append(tab.name())
					.append("\">").append(tab.name().toLowerCase()).append(" (<span data-test=\"tab-count\">")
					.append(queue.size(tab)).append("</span>)</a></li>");
			}
		}
		body.append("</ul>");
		if (!this.actions.canList(state)) {
			body.append("<p>This backend cannot list ").append(state.name().toLowerCase()).append(" tasks.</p>");
			return finish(queueName, state, page, body, fragment);
		}
		List<Action> allowed = viewer.canAct() ? this.actions.allowed(state) : List.of();
		long count = queue.size(state);
		if (!allowed.isEmpty() && count > 0) {
			body.append("<div class=\"bulk\">");
			for (Action action : allowed) {
				body.append(this.layout.button(viewer, path + "/bulk/" + action.path, action.label + " all " + count,
						"bulk-" + action.path, "<input type=\"hidden\" name=\"state\" value=\"" + state.name() + "\">",
						action.label + " all " + count + " " + state.name().toLowerCase() + " tasks of " + queueName + "?"));
			}
			body.append("</div>");
		}
		List<TaskDetail> tasks = this.inspector.tasks(queueName, state, page, this.pageSize);
		String formId = "selection";
		if (!allowed.isEmpty() && !tasks.isEmpty()) {
			body.append("<form id=\"").append(formId).append("\" method=\"post\" action=\"").append(href)
				.append("/selection\">").append(viewer.csrfField())
				.append("<input type=\"hidden\" name=\"state\" value=\"").append(state.name()).append("\">");
			for (Action action : allowed) {
				body.append("<button type=\"submit\" name=\"action\" value=\"").append(action.path)
					.append("\" data-test=\"selection-").append(action.path).append("\" data-confirm=\"")
					.append(action.label).append(" the selected tasks?\">").append(action.label).append(" selected</button> ");
			}
			body.append("</form>");
		}
		body.append("<table class=\"tasks\" id=\"tasks\"><thead><tr>").append(allowed.isEmpty() ? "" : "<th></th>")
			.append("<th>Id</th><th>Type</th><th>Enqueued</th><th>Retried</th><th>Last error</th>")
			.append(allowed.isEmpty() ? "" : "<th>Actions</th>").append("</tr></thead><tbody>");
		for (TaskDetail task : tasks) {
			String handle = Html.escape(task.handle());
			body.append("<tr data-test=\"task-row\" data-id=\"").append(Html.escape(task.id())).append("\">");
			if (!allowed.isEmpty()) {
				body.append("<td><input type=\"checkbox\" form=\"").append(formId).append("\" name=\"id\" value=\"")
					.append(handle).append("\" data-test=\"select\" aria-label=\"select\"></td>");
			}
			body.append("<td><a href=\"").append(href).append("/tasks/").append(Html.url(task.handle())).append("\">")
				.append(Html.escape(task.id())).append("</a></td><td>").append(Html.escape(task.type())).append("</td><td>")
				.append(task.enqueuedAt()).append("</td><td class=\"n\">").append(task.retried()).append("</td><td>")
				.append(task.lastError() != null ? Html.escape(firstLine(task.lastError())) : "").append("</td>");
			if (!allowed.isEmpty()) {
				body.append("<td class=\"actions\">");
				for (Action action : allowed) {
					body.append(this.layout.button(viewer, path + "/tasks/" + Html.url(task.handle()) + "/" + action.path,
							action.label, action.path, "", null));
				}
				body.append("</td>");
			}
			body.append("</tr>");
		}
		body.append("</tbody></table>");
		body.append("<p class=\"pager\">");
		if (page > 0) {
			body.append("<a data-test=\"previous\" href=\"").append(href).append("?state=").append(state.name())
				.append("&amp;page=").append(page - 1).append("\">previous</a> ");
		}
		body.append("page ").append(page + 1);
		if (count > 0) {
			body.append(" of ").append((count + this.pageSize - 1) / this.pageSize);
		}
		// a full page is followed by another unless the count (when the backend knows it) says not
		if (tasks.size() == this.pageSize && (count < 0 || (long) (page + 1) * this.pageSize < count)) {
			body.append(" <a data-test=\"next\" href=\"").append(href).append("?state=").append(state.name())
				.append("&amp;page=").append(page + 1).append("\">next</a>");
		}
		body.append("</p>");
		return finish(queueName, state, page, body, fragment);
	}

	private String finish(String queueName, TaskState state, int page, StringBuilder body, boolean fragment) {
		if (fragment) {
			return body.toString();
		}
		String self = this.layout.base() + "/queues/" + Html.url(queueName) + "?state=" + state.name() + "&page=" + page
				+ "&fragment=true";
		return this.layout.page("Queue " + queueName, Live.wrap(self, body.toString()));
	}

	private static String firstLine(String text) {
		int end = text.indexOf('\n');
		return (end < 0) ? text : text.substring(0, end);
	}

}
