package io.worker.dashboard;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.worker.RecurringTasks;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.dashboard.Actions.Action;
import io.worker.dashboard.BulkJobs.Job;
import io.worker.spi.Capability;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's pages as HTML strings and its actions, for a web layer to serve under
 * {@code base}. Pages offer only what the backend's capabilities allow and what the
 * {@link Viewer} may do; the web layer decides who the viewer is.
 */
public final class Dashboard implements AutoCloseable {

	/** How many tasks one page of a queue's state lists unless configured otherwise. */
	public static final int DEFAULT_PAGE_SIZE = 50;

	private final Layout layout;

	private final OverviewPage overview;

	private final QueuePage queue;

	private final TaskPage task;

	private final WorkersPage workers;

	private final SearchPage search;

	private final SchedulesPage schedules;

	private final Operations operations;

	private final BulkJobs bulk;

	/**
	 * A dashboard over the inspector.
	 * @param inspector the inspector, already wrapped so that it refuses what the backend lacks
	 * @param capabilities what the backend can do, deciding the actions offered
	 * @param recurringTasks the schedules, or {@code null} when there are none
	 * @param base the path the dashboard is served under, without a trailing slash
	 * @param redactor prepares payloads for display
	 * @param throughput the attempts finished per minute in this process
	 * @param searchScanLimit how many tasks a search reads at most
	 * @param pageSize how many tasks one page of a queue's state lists, at least 1
	 * @param clock the clock for ages
	 */
	public Dashboard(TaskInspector inspector, Set<Capability> capabilities, @Nullable RecurringTasks recurringTasks,
			String base, PayloadRedactor redactor, Throughput throughput, int searchScanLimit, int pageSize, Clock clock) {
		if (pageSize < 1) {
			throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
		}
		this.layout = new Layout(base);
		Actions actions = new Actions(capabilities);
		this.overview = new OverviewPage(inspector, capabilities, this.layout, throughput, clock);
		this.queue = new QueuePage(inspector, this.layout, actions, pageSize);
		this.task = new TaskPage(inspector, this.layout, redactor, actions);
		this.workers = new WorkersPage(inspector, this.layout, clock);
		this.search = new SearchPage(inspector, this.layout, actions, redactor, searchScanLimit);
		this.schedules = new SchedulesPage(recurringTasks, this.layout);
		this.operations = new Operations(inspector);
		this.bulk = new BulkJobs(inspector, this.operations);
	}

	/** The overview page, or its refreshed part. */
	public String overview(boolean fragment) {
		return this.overview.render(fragment);
	}

	/** A page of one queue's tasks in one state, {@code page} counted from 0. */
	public String queue(String queue, TaskState state, int page, Viewer viewer, boolean fragment) {
		if (page < 0) {
			throw new IllegalArgumentException("page must be 0 or more, was " + page);
		}
		return this.queue.render(queue, state, page, viewer, fragment);
	}

	/** One task's page, or empty when the queue holds no such task. */
	public Optional<String> task(String queue, String id, Viewer viewer, boolean fragment) {
		return this.task.render(queue, id, viewer, fragment);
	}

	/** The live worker servers. */
	public String workers(boolean fragment) {
		return this.workers.render(fragment);
	}

	/** The tasks matching the query. */
	public String search(String query) {
		return this.search.render(query);
	}

	/** The recurring tasks. */
	public String schedules(Viewer viewer) {
		return this.schedules.render(viewer);
	}

	/** Acts on one task, logged with the user. */
	public void act(String user, String action, String queue, String id) {
		this.operations.act(user, Action.of(action), queue, id);
	}

	/** Acts on the selected tasks; answers how many failed. */
	public int actOnSelection(String user, String action, String queue, List<String> ids) {
		return this.operations.act(user, Action.of(action), queue, ids);
	}

	/** Starts acting on every task of the queue in the state in the background; answers the job's id. */
	public String startBulk(String user, String action, String queue, TaskState state) {
		return this.bulk.start(user, queue, state, Action.of(action)).id;
	}

	/** A bulk job's progress page, or its refreshed part; empty for an unknown job. */
	public Optional<String> bulkProgress(String id, boolean fragment) {
		return this.bulk.get(id).map((job) -> progress(job, fragment));
	}

	/** Pauses or resumes a queue, logged with the user. */
	public void pause(String user, String queue, boolean pause) {
		this.operations.pause(user, queue, pause);
	}

	/** Enables, disables or triggers a schedule, logged with the user. */
	public void schedule(String user, String name, String action) {
		this.schedules.act(user, name, action);
	}

	private String progress(Job job, boolean fragment) {
		long percent = (job.total == 0) ? 100 : Math.min(100, 100L * job.done.get() / Math.max(1, job.total));
		String body = "<p>" + Html.escape(job.action.label) + " " + job.state.name().toLowerCase() + " tasks of "
				+ Html.escape(job.queue) + ": <span data-test=\"bulk-done\">" + job.done.get() + "</span> of <span data-test=\"bulk-total\">"
				+ job.total + "</span>, <span data-test=\"bulk-failed\">" + job.failed.get() + "</span> failed.</p>"
				+ "<progress id=\"bulk-progress\" data-test=\"bulk-progress\" max=\"100\" value=\"" + percent + "\"></progress>"
				+ "<p data-test=\"bulk-status\">" + (job.finished ? "finished" : "running") + "</p>"
				+ ((job.error != null) ? "<p class=\"warn\" data-test=\"bulk-error\">Stopped: " + Html.escape(job.error) + "</p>" : "")
				+ "<p><a href=\""
				+ this.layout.base() + "/queues/" + Html.url(job.queue) + "?state=" + job.state.name() + "\">Back to the queue</a></p>";
		if (fragment) {
			return body;
		}
		return this.layout.page("Bulk action", job.finished ? body
				: Live.wrap(this.layout.base() + "/jobs/" + Html.url(job.id) + "?fragment=true", body));
	}

	@Override
	public void close() {
		this.bulk.close();
	}

}
