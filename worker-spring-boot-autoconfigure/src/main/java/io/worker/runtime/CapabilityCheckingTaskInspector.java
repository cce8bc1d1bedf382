package io.worker.runtime;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.WorkerInfo;
import io.worker.spi.Capability;
import io.worker.spi.TaskBackend;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskInspector} that refuses, with an {@link UnsupportedOperationByBackendException}
 * naming the backend and the capability, every operation its backend's
 * {@link TaskBackend#capabilities()} do not cover, so that no backend has to refuse them itself:
 * <ul>
 * <li>{@link #tasks}: {@link Capability#LIST_TASKS}, or {@link Capability#LIST_ARCHIVED} for archived
 * tasks;</li>
 * <li>{@link #task}: {@link Capability#FIND_TASK};</li>
 * <li>{@link #archiveTask}: {@link Capability#MANAGE_WAITING};</li>
 * <li>{@link #deleteTask}: {@link Capability#MANAGE_WAITING}; without it, a backend that can find the
 * task still deletes it when it is archived or completed, and a backend that cannot find tasks but
 * lists its archive is asked to delete the task as an archived one;</li>
 * <li>{@link #runTask}: {@link Capability#RUN_SCHEDULED}; without it, a task the backend can find
 * that is archived is still run, and a backend that cannot find tasks but lists its archive is asked
 * to run the task as an archived one (it answers {@link io.worker.TaskNotFoundException} for any
 * other);</li>
 * <li>{@link #pauseQueue}, {@link #resumeQueue}: {@link Capability#PAUSE}.</li>
 * </ul>
 * Queue sizes, cancellation and the worker list are always passed on.
 */
public final class CapabilityCheckingTaskInspector implements TaskInspector {

	/** The capabilities that this class checks: a backend with all of them needs no wrapper. */
	private static final Set<Capability> CHECKED = EnumSet.of(Capability.LIST_TASKS, Capability.LIST_ARCHIVED,
			Capability.FIND_TASK, Capability.MANAGE_WAITING, Capability.RUN_SCHEDULED, Capability.PAUSE);

	private final TaskInspector delegate;

	private final String backend;

	private final Set<Capability> capabilities;

	private CapabilityCheckingTaskInspector(TaskInspector delegate, String backend, Set<Capability> capabilities) {
		this.delegate = delegate;
		this.backend = backend;
		this.capabilities = EnumSet.noneOf(Capability.class);
		this.capabilities.addAll(capabilities);
	}

	/**
	 * The inspector of a backend, refusing what it cannot do.
	 * @param backend the backend
	 * @return its own inspector when it can do every operation, else a wrapper around it
	 */
	public static TaskInspector of(TaskBackend backend) {
		Set<Capability> capabilities = backend.capabilities();
		TaskInspector inspector = backend.inspector();
		if (capabilities.containsAll(CHECKED)) {
			return inspector;
		}
		return new CapabilityCheckingTaskInspector(inspector, backend.name(), capabilities);
	}

	@Override
	public List<QueueInfo> queues() {
		return this.delegate.queues();
	}

	@Override
	public QueueInfo queue(String queue) {
		return this.delegate.queue(queue);
	}

	@Override
	public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
		if (state == TaskState.ARCHIVED && has(Capability.LIST_ARCHIVED)) {
			return this.delegate.tasks(queue, state, page, size);
		}
		require(Capability.LIST_TASKS, "listing " + state.name().toLowerCase() + " tasks");
		return this.delegate.tasks(queue, state, page, size);
	}

	@Override
	public Optional<TaskDetail> task(String queue, String id) {
		require(Capability.FIND_TASK, "finding a task by id");
		return this.delegate.task(queue, id);
	}

	@Override
	public void runTask(String queue, String id) {
		if (!has(Capability.RUN_SCHEDULED)) {
			String what = "running a scheduled or retry task now";
			if (has(Capability.FIND_TASK)) {
				TaskState state = stateOf(queue, id);
				if (state == TaskState.SCHEDULED || state == TaskState.RETRY) {
					throw refused(Capability.RUN_SCHEDULED, what);
				}
			}
			else if (!has(Capability.LIST_ARCHIVED) && !has(Capability.LIST_TASKS)) {
				throw refused(Capability.RUN_SCHEDULED, what);
			}
		}
		this.delegate.runTask(queue, id);
	}

	@Override
	public void archiveTask(String queue, String id) {
		require(Capability.MANAGE_WAITING, "archiving a waiting task");
		this.delegate.archiveTask(queue, id);
	}

	@Override
	public void deleteTask(String queue, String id) {
		if (!has(Capability.MANAGE_WAITING)) {
			if (has(Capability.FIND_TASK)) {
				if (isWaiting(stateOf(queue, id))) {
					throw refused(Capability.MANAGE_WAITING, "deleting a waiting task");
				}
			}
			else if (!has(Capability.LIST_ARCHIVED)) {
				throw refused(Capability.MANAGE_WAITING, "deleting a task");
			}
		}
		this.delegate.deleteTask(queue, id);
	}

	@Override
	public void cancelTask(String id) {
		this.delegate.cancelTask(id);
	}

	@Override
	public void pauseQueue(String queue) {
		require(Capability.PAUSE, "pausing a queue");
		this.delegate.pauseQueue(queue);
	}

	@Override
	public void resumeQueue(String queue) {
		require(Capability.PAUSE, "resuming a queue");
		this.delegate.resumeQueue(queue);
	}

	@Override
	public List<WorkerInfo> workers() {
		return this.delegate.workers();
	}

	/** The task's state, or {@code null} when it is not found (the delegate then reports that itself). */
	private @Nullable TaskState stateOf(String queue, String id) {
		return this.delegate.task(queue, id).map(TaskDetail::state).orElse(null);
	}

	private static boolean isWaiting(@Nullable TaskState state) {
		return state == TaskState.PENDING || state == TaskState.SCHEDULED || state == TaskState.RETRY;
	}

	private boolean has(Capability capability) {
		return this.capabilities.contains(capability);
	}

	private void require(Capability capability, String what) {
		if (!has(capability)) {
			throw refused(capability, what);
		}
	}

	private UnsupportedOperationByBackendException refused(Capability capability, String what) {
		return new UnsupportedOperationByBackendException(this.backend, capability.name(), what);
	}

}
