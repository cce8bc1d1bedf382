package io.worker.testsupport;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.Capability;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskBackend;

/**
 * A backend that stores through another (an in-memory store) but declares fewer capabilities and
 * counts fewer states, as a push broker does: for tests of what the layers above a backend refuse.
 */
public final class LimitedBackend implements TaskBackend {

	private final TaskBackend delegate;

	private final Set<Capability> capabilities;

	private final Set<TaskState> knownStates;

	/**
	 * @param delegate the backend that stores the tasks
	 * @param capabilities the capabilities to declare
	 * @param knownStates the states whose sizes the inspector reports
	 */
	public LimitedBackend(TaskBackend delegate, Set<Capability> capabilities, Set<TaskState> knownStates) {
		this.delegate = delegate;
		this.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
		this.knownStates = knownStates;
	}

	/** A backend with no capability, counting pending and archived tasks only. */
	public static LimitedBackend bare(TaskBackend delegate) {
		return new LimitedBackend(delegate, Set.of(), EnumSet.of(TaskState.PENDING, TaskState.ARCHIVED));
	}

	@Override
	public String name() {
		return "fake";
	}

	@Override
	public Set<Capability> capabilities() {
		return this.capabilities;
	}

	@Override
	public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
		return this.delegate.enqueue(requests);
	}

	@Override
	public TaskInspector inspector() {
		return new CountingFewerStates(this.delegate.inspector());
	}

	@Override
	public void onCancel(Consumer<String> listener) {
		this.delegate.onCancel(listener);
	}

	@Override
	public void ping() {
	}

	/** Passes every operation on, leaving out the sizes of states the backend does not know. */
	private final class CountingFewerStates implements TaskInspector {

		private final TaskInspector inspector;

		CountingFewerStates(TaskInspector inspector) {
			this.inspector = inspector;
		}

		@Override
		public List<QueueInfo> queues() {
			return this.inspector.queues().stream().map(this::limit).toList();
		}

		@Override
		public QueueInfo queue(String queue) {
			return limit(this.inspector.queue(queue));
		}

		private QueueInfo limit(QueueInfo info) {
			Map<TaskState, Long> sizes = new EnumMap<>(TaskState.class);
			info.sizes().forEach((state, size) -> {
				if (LimitedBackend.this.knownStates.contains(state)) {
					sizes.put(state, size);
				}
			});
			return new QueueInfo(info.name(), info.paused(), sizes, 0, 0);
		}

		@Override
		public List<TaskDetail> tasks(String queue, TaskState state, int page, int size) {
			return this.inspector.tasks(queue, state, page, size);
		}

		@Override
		public Optional<TaskDetail> task(String queue, String id) {
			return this.inspector.task(queue, id);
		}

		@Override
		public void runTask(String queue, String id) {
			this.inspector.runTask(queue, id);
		}

		@Override
		public void archiveTask(String queue, String id) {
			this.inspector.archiveTask(queue, id);
		}

		@Override
		public void deleteTask(String queue, String id) {
			this.inspector.deleteTask(queue, id);
		}

		@Override
		public void cancelTask(String id) {
			this.inspector.cancelTask(id);
		}

		@Override
		public void pauseQueue(String queue) {
			this.inspector.pauseQueue(queue);
		}

		@Override
		public void resumeQueue(String queue) {
			this.inspector.resumeQueue(queue);
		}

		@Override
		public List<WorkerInfo> workers() {
			return this.inspector.workers();
		}

	}

}
