package io.worker.dashboard;

import java.util.Optional;

import io.worker.TaskInspector;
import io.worker.TaskState;

/**
 * The dashboard's read-only pages as HTML strings, for a web layer to serve under {@code base}.
 */
public final class Dashboard {

	private final OverviewPage overview;

	private final QueuePage queue;

	private final TaskPage task;

	/**
	 * A dashboard over the inspector.
	 * @param inspector the inspector, already wrapped so that it refuses what the backend lacks
	 * @param base the path the dashboard is served under, without a trailing slash
	 * @param redactor prepares payloads for display
	 */
	public Dashboard(TaskInspector inspector, String base, PayloadRedactor redactor) {
		Layout layout = new Layout(base);
		this.overview = new OverviewPage(inspector, layout);
		this.queue = new QueuePage(inspector, layout);
		this.task = new TaskPage(inspector, layout, redactor);
	}

	/** The overview page. */
	public String overview() {
		return this.overview.render();
	}

	/** A page of one queue's tasks in one state, {@code page} counted from 0. */
	public String queue(String queue, TaskState state, int page) {
		if (page < 0) {
			throw new IllegalArgumentException("page must be 0 or more, was " + page);
		}
		return this.queue.render(queue, state, page);
	}

	/** One task's page, or empty when the queue holds no such task. */
	public Optional<String> task(String queue, String id) {
		return this.task.render(queue, id);
	}

}
