package io.worker.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.worker.QueueInfo;
import io.worker.RecurringTasks;
import io.worker.Schedule;
import io.worker.ScheduleFire;
import io.worker.ScheduleInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.WorkerInfo;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code worker} endpoint: queues, live workers and tasks, read through the
 * {@link TaskInspector}; with {@code management.endpoint.worker.access=unrestricted}, also run,
 * archive, cancel and delete tasks, and pause and resume queues.
 * <ul>
 * <li>{@code GET /worker}: every queue and every live worker;</li>
 * <li>{@code GET /worker/{queue}[?state=retry&page=0&size=20]}: a queue, and a page of its tasks in
 * a state when one is given;</li>
 * <li>{@code GET /worker/{queue}/{id}}: one task;</li>
 * <li>{@code POST /worker/{queue}} with {@code {"action": "pause" | "resume"}};</li>
 * <li>{@code POST /worker/{queue}/{id}} with {@code {"action": "run" | "archive" | "cancel"}};</li>
 * <li>{@code DELETE /worker/{queue}/{id}}.</li>
 * </ul>
 * A task or state that does not allow the action is a bad request, and so is an operation the
 * backend cannot do (see {@link UnsupportedOperationByBackendException}): its message names the
 * backend and the capability it lacks.
 */
@Endpoint(id = "worker", defaultAccess = Access.READ_ONLY)
public class WorkerEndpoint {

	private static final int DEFAULT_PAGE_SIZE = 20;

	/** The default of {@code worker.limits.max-page-size}. */
	public static final int MAX_PAGE_SIZE = 1000;

	private final TaskInspector inspector;

	private final int maxPageSize;

	private final @Nullable RecurringTasks recurringTasks;

	public WorkerEndpoint(TaskInspector inspector) {
		this(inspector, MAX_PAGE_SIZE, null);
	}

	/**
	 * @param inspector the inspector answering the operations
	 * @param maxPageSize the most tasks one page may ask for
	 * @param recurringTasks the recurring tasks to list, or {@code null} when there are none
	 */
	public WorkerEndpoint(TaskInspector inspector, int maxPageSize, @Nullable RecurringTasks recurringTasks) {
		this.inspector = inspector;
		this.maxPageSize = maxPageSize;
		this.recurringTasks = recurringTasks;
	}

	/** Every queue, with its sizes, every live worker and every schedule. */
	@ReadOperation
	public WorkerDescriptor worker() {
		List<ScheduleDescriptor> schedules = (this.recurringTasks != null)
				? this.recurringTasks.list().stream().map(ScheduleDescriptor::of).toList() : List.of();
		return new WorkerDescriptor(this.inspector.queues(), this.inspector.workers(), schedules);
	}

	/** A queue, and a page of its tasks in the given state when there is one. */
	@ReadOperation
	public QueueDescriptor queue(@Selector String queue, @Nullable String state, @Nullable Integer page,
			@Nullable Integer size) {
		QueueInfo info = this.inspector.queue(queue);
		if (state == null) {
			return new QueueDescriptor(info, null);
		}
		int pageSize = (size != null) ? size : Math.min(DEFAULT_PAGE_SIZE, this.maxPageSize);
		if ((page != null && page < 0) || pageSize < 1 || pageSize > this.maxPageSize) {
			throw new InvalidEndpointRequestException("page must be 0 or more and size from 1 to " + this.maxPageSize
					+ " (worker.limits.max-page-size)",
					"Invalid page");
		}
		TaskState taskState = state(state);
		return new QueueDescriptor(info,
				call(() -> this.inspector.tasks(queue, taskState, (page != null) ? page : 0, pageSize)));
	}

	/** One task, or {@code null} (404) when the queue has no such task. */
	@ReadOperation
	public @Nullable TaskDetail task(@Selector String queue, @Selector String id) {
		return call(() -> this.inspector.task(queue, id)).orElse(null);
	}

	/** Pause or resume a queue. */
	@WriteOperation
	public QueueInfo updateQueue(@Selector String queue, String action) {
		act(() -> {
			switch (action.toLowerCase(Locale.ROOT)) {
				case "pause" -> this.inspector.pauseQueue(queue);
				case "resume" -> this.inspector.resumeQueue(queue);
				default -> throw invalidAction(action, "pause, resume");
			}
		});
		return this.inspector.queue(queue);
	}

	/**
	 * Run, archive or cancel a task; the task afterwards, or {@code null} when it is gone or the
	 * backend cannot find tasks by id.
	 */
	@WriteOperation
	public @Nullable TaskDetail updateTask(@Selector String queue, @Selector String id, String action) {
		act(() -> {
			switch (action.toLowerCase(Locale.ROOT)) {
				case "run" -> this.inspector.runTask(queue, id);
				case "archive" -> this.inspector.archiveTask(queue, id);
				case "cancel" -> this.inspector.cancelTask(id);
				default -> throw invalidAction(action, "run, archive, cancel");
			}
		});
		try {
			return this.inspector.task(queue, id).orElse(null);
		}
		catch (UnsupportedOperationByBackendException ex) {
			return null;
		}
	}

	/** Delete a task that is not running. */
	@DeleteOperation
	public void deleteTask(@Selector String queue, @Selector String id) {
		act(() -> this.inspector.deleteTask(queue, id));
	}

	/**
	 * Report a missing task, a state that forbids the action or an operation the backend cannot do
	 * as a bad request, not a server error.
	 */
	private static void act(Runnable action) {
		try {
			action.run();
		}
		catch (TaskNotFoundException | IllegalStateException | UnsupportedOperationByBackendException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	/** Report a read the backend cannot do as a bad request, not a server error. */
	private static <T> T call(Supplier<T> read) {
		try {
			return read.get();
		}
		catch (UnsupportedOperationByBackendException ex) {
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	private static TaskState state(String state) {
		try {
			TaskState value = TaskState.valueOf(state.toUpperCase(Locale.ROOT));
			if (value != TaskState.DISCARDED) {
				return value;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new InvalidEndpointRequestException("Unknown task state '" + state + "'", "Unknown task state");
	}

	private static InvalidEndpointRequestException invalidAction(String action, String allowed) {
		return new InvalidEndpointRequestException("Unknown action '" + action + "', expected one of: " + allowed,
				"Unknown action");
	}

	/**
	 * Every queue, every live worker and every schedule.
	 * @param queues the queues with their sizes
	 * @param workers the live worker servers
	 * @param schedules the recurring tasks, with their next and last fire and their fire history
	 */
	public record WorkerDescriptor(List<QueueInfo> queues, List<WorkerInfo> workers,
			List<ScheduleDescriptor> schedules) {
	}

	/**
	 * A recurring task as the endpoint shows it.
	 * @param name its name
	 * @param cron its cron expression, or {@code null} for a fixed rate
	 * @param every its fixed rate, or {@code null} for a cron expression
	 * @param zone the zone its cron expression is read in
	 * @param task the type of each tick's task
	 * @param queue the queue of each tick's task, or {@code null} for the type's
	 * @param enabled whether it fires
	 * @param nextFireAt its next tick, or {@code null}
	 * @param lastFireAt the tick it last fired, or {@code null}
	 * @param lastTaskId the task its last fire enqueued, or {@code null}
	 * @param lastOutcome that task's state while it is kept, or {@code null}
	 * @param history its latest fires, newest first
	 */
	public record ScheduleDescriptor(String name, @Nullable String cron, @Nullable Duration every, String zone,
			String task, @Nullable String queue, boolean enabled, @Nullable Instant nextFireAt,
			@Nullable Instant lastFireAt, @Nullable String lastTaskId, @Nullable TaskState lastOutcome,
			List<ScheduleFire> history) {

		static ScheduleDescriptor of(ScheduleInfo info) {
			Schedule schedule = info.schedule();
			return new ScheduleDescriptor(schedule.name(), schedule.cron(), schedule.every(), schedule.zone().getId(),
					schedule.task(), schedule.queue(), schedule.enabled(), info.nextFireAt(), info.lastFireAt(),
					info.lastTaskId(), info.lastOutcome(), info.history());
		}

	}

	/**
	 * A queue and, when asked for, a page of its tasks.
	 * @param queue the queue
	 * @param tasks the page of tasks, or {@code null} when no state was given
	 */
	public record QueueDescriptor(QueueInfo queue, @Nullable List<TaskDetail> tasks) {
	}

}
