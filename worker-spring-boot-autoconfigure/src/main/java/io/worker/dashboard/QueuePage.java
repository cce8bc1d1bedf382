package io.worker.dashboard;

import java.util.List;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;

/**
 * One queue: a tab per state with its count and one server-side page of that state's tasks, so that
 * a state holding 100,000 tasks costs one page of reads.
 */
final class QueuePage {

	static final int PAGE_SIZE = 50;

	private final TaskInspector inspector;

	private final Layout layout;

	QueuePage(TaskInspector inspector, Layout layout) {
		this.inspector = inspector;
		this.layout = layout;
	}

	String render(String queueName, TaskState state, int page) {
		QueueInfo queue = this.inspector.queue(queueName);
		String href = this.layout.base() + "/queues/" + Html.url(queueName);
		StringBuilder body = new StringBuilder("<p>").append(queue.paused() ? "Paused" : "Running").append("</p><ul class=\"tabs\">");
		for (TaskState tab : TaskState.values()) {
			if (queue.knows(tab)) {
				body.append("<li").append(tab == state ? " class=\"current\"" : "").append("><a href=\"").append(href)
					.append("?state=").append(tab.name()).append("\">").append(tab.name().toLowerCase()).append(" (")
					.append(queue.size(tab)).append(")</a></li>");
			}
		}
		body.append("</ul>");
		List<TaskDetail> tasks = this.inspector.tasks(queueName, state, page, PAGE_SIZE);
		body.append("<table class=\"tasks\"><thead><tr><th>Id</th><th>Type</th><th>Enqueued</th><th>Retried</th><th>Last error</th></tr></thead><tbody>");
		for (TaskDetail task : tasks) {
			body.append("<tr><td><a href=\"").append(href).append("/tasks/").append(Html.url(task.handle())).append("\">")
				.append(Html.escape(task.id())).append("</a></td><td>").append(Html.escape(task.type())).append("</td><td>")
				.append(task.enqueuedAt()).append("</td><td class=\"n\">").append(task.retried()).append("</td><td>")
				.append(task.lastError() != null ? Html.escape(firstLine(task.lastError())) : "").append("</td></tr>");
		}
		body.append("</tbody></table>");
		body.append("<p class=\"pager\">");
		if (page > 0) {
			body.append("<a href=\"").append(href).append("?state=").append(state.name()).append("&amp;page=").append(page - 1)
				.append("\">previous</a> ");
		}
		body.append("page ").append(page + 1);
		if (tasks.size() == PAGE_SIZE) {
			body.append(" <a href=\"").append(href).append("?state=").append(state.name()).append("&amp;page=").append(page + 1)
				.append("\">next</a>");
		}
		body.append("</p>");
		return this.layout.page("Queue " + queueName, body.toString());
	}

	private static String firstLine(String text) {
		int end = text.indexOf('\n');
		return (end < 0) ? text : text.substring(0, end);
	}

}
