package io.worker.dashboard;

import java.util.Map;
import java.util.Optional;

import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.dashboard.Actions.Action;

/**
 * One task: its state, attempts, payload (redacted and pretty-printed), headers, last error with its
 * stack, progress and result, all escaped.
 */
final class TaskPage {

	private final TaskInspector inspector;

	private final Layout layout;

	private final PayloadRedactor redactor;

	private final Actions actions;

	TaskPage(TaskInspector inspector, Layout layout, PayloadRedactor redactor, Actions actions) {
		this.inspector = inspector;
		this.layout = layout;
		this.redactor = redactor;
		this.actions = actions;
	}

	/** The page, or empty when the queue holds no such task. */
	Optional<String> render(String queue, String id, Viewer viewer, boolean fragment) {
		return this.inspector.task(queue, id).map((task) -> page(task, viewer, fragment));
	}

	private String page(TaskDetail task, Viewer viewer, boolean fragment) {
		StringBuilder body = new StringBuilder();
		if (viewer.canAct()) {
			String path = "/queues/" + Html.url(task.queue()) + "/tasks/" + Html.url(task.handle()) + "/";
			body.append("<div class=\"bulk\">");
			for (Action action : this.actions.allowed(task.state())) {
				body.append(this.layout.button(viewer, path + action.path, action.label, action.path, "",
						(action == Action.DELETE) ? "Delete this task?" : null));
			}
			body.append("</div>");
		}
		body.append("<dl class=\"task\">");
		field(body, "Type", task.type());
		field(body, "Queue", task.queue());
		body.append("<dt>State</dt><dd data-test=\"task-state\">").append(task.state().name().toLowerCase()).append("</dd>");
		field(body, "Attempts", task.retried() + ((task.maxRetries() != null) ? " of " + (task.maxRetries() + 1) : ""));
		field(body, "Enqueued", String.valueOf(task.enqueuedAt()));
		if (task.nextProcessAt() != null) {
			field(body, "Next run", task.nextProcessAt().toString());
		}
		if (task.progress() != null) {
			body.append("<dt>Progress</dt><dd><progress data-test=\"progress\" max=\"100\" value=\"").append(task.progress()).append("\"></progress> ")
				.append(task.progress()).append("% ")
				.append(task.progressMessage() != null ? Html.escape(task.progressMessage()) : "").append("</dd>");
		}
		body.append("</dl><h2>Payload</h2><pre class=\"payload\" data-test=\"payload\">").append(Html.escape(this.redactor.redact(task.payload())))
			.append("</pre>");
		if (!task.headers().isEmpty()) {
			body.append("<h2>Headers</h2><dl class=\"headers\">");
			for (Map.Entry<String, String> header : task.headers().entrySet()) {
				field(body, header.getKey(), header.getValue());
			}
			body.append("</dl>");
		}
		if (task.lastError() != null) {
			body.append("<h2>Last error</h2><p>").append(String.valueOf(task.lastFailedAt()))
				.append("</p><pre class=\"error\" data-test=\"error\">").append(Html.escape(task.lastError())).append("</pre>");
		}
		if (task.result() != null) {
			body.append("<h2>Result</h2><pre data-test=\"result\">").append(Html.escape(task.result())).append("</pre>");
		}
		timeline(body, task);
		if (fragment) {
			return body.toString();
		}
		String self = this.layout.base() + "/queues/" + Html.url(task.queue()) + "/tasks/" + Html.url(task.handle())
				+ "?fragment=true";
		return this.layout.page("Task " + task.id(), Live.wrap(self, body.toString()));
	}

	// from the instants the backend keeps: it records no full history of state changes
	private static void timeline(StringBuilder body, TaskDetail task) {
		body.append("<h2>Timeline</h2><ol class=\"timeline\" data-test=\"timeline\"><li>").append(task.enqueuedAt())
			.append(" enqueued</li>");
		if (task.lastFailedAt() != null) {
			body.append("<li>").append(task.lastFailedAt()).append(" attempt ").append(task.retried()).append(" failed</li>");
		}
		if (task.nextProcessAt() != null) {
			body.append("<li>").append(task.nextProcessAt()).append(" due</li>");
		}
		if (task.completedAt() != null) {
			body.append("<li>").append(task.completedAt()).append(" completed</li>");
		}
		body.append("<li>now ").append(task.state().name().toLowerCase()).append("</li></ol>");
	}

	private static void field(StringBuilder body, String name, String value) {
		body.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(Html.escape(value)).append("</dd>");
	}

}
