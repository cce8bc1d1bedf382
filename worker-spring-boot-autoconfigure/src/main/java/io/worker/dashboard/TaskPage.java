package io.worker.dashboard;

import java.util.Map;
import java.util.Optional;

import io.worker.TaskDetail;
import io.worker.TaskInspector;

/**
 * One task: its state, attempts, payload (redacted and pretty-printed), headers, last error with its
 * stack, progress and result, all escaped.
 */
final class TaskPage {

	private final TaskInspector inspector;

	private final Layout layout;

	private final PayloadRedactor redactor;

	TaskPage(TaskInspector inspector, Layout layout, PayloadRedactor redactor) {
		this.inspector = inspector;
		this.layout = layout;
		this.redactor = redactor;
	}

	/** The page, or empty when the queue holds no such task. */
	Optional<String> render(String queue, String id) {
		return this.inspector.task(queue, id).map(this::page);
	}

	private String page(TaskDetail task) {
		StringBuilder body = new StringBuilder("<dl class=\"task\">");
		field(body, "Type", task.type());
		field(body, "Queue", task.queue());
		field(body, "State", task.state().name().toLowerCase());
		field(body, "Attempts", task.retried() + ((task.maxRetries() != null) ? " of " + (task.maxRetries() + 1) : ""));
		field(body, "Enqueued", String.valueOf(task.enqueuedAt()));
		if (task.nextProcessAt() != null) {
			field(body, "Next run", task.nextProcessAt().toString());
		}
		if (task.progress() != null) {
			body.append("<dt>Progress</dt><dd><progress max=\"100\" value=\"").append(task.progress()).append("\"></progress> ")
				.append(task.progress()).append("% ")
				.append(task.progressMessage() != null ? Html.escape(task.progressMessage()) : "").append("</dd>");
		}
		body.append("</dl><h2>Payload</h2><pre class=\"payload\">").append(Html.escape(this.redactor.redact(task.payload())))
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
				.append("</p><pre class=\"error\">").append(Html.escape(task.lastError())).append("</pre>");
		}
		if (task.result() != null) {
			body.append("<h2>Result</h2><pre>").append(Html.escape(task.result())).append("</pre>");
		}
		return this.layout.page("Task " + task.id(), body.toString());
	}

	private static void field(StringBuilder body, String name, String value) {
		body.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(Html.escape(value)).append("</dd>");
	}

}
