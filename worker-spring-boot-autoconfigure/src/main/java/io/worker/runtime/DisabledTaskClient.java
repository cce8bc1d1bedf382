package io.worker.runtime;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskInfo;
import io.worker.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TaskClient} of a switched-off Worker ({@code worker.enabled: false} or the
 * {@code noop} backend): stores nothing, counts what it discards and says so once in the log.
 */
public final class DisabledTaskClient implements TaskClient {

	private static final Logger logger = LoggerFactory.getLogger(DisabledTaskClient.class);

	private final String reason;

	private final AtomicLong discarded = new AtomicLong();

	private final AtomicBoolean logged = new AtomicBoolean();

	/**
	 * @param reason why tasks are discarded, for the log
	 */
	public DisabledTaskClient(String reason) {
		this.reason = reason;
	}

	@Override
	public TaskInfo enqueue(Task task) {
		this.discarded.incrementAndGet();
		if (this.logged.compareAndSet(false, true)) {
			logger.warn("Worker is switched off ({}): task of type '{}' and every later task are discarded",
					this.reason, task.type());
		}
		String id = (task.id() != null) ? task.id() : TaskIds.next();
		String queue = (task.queue() != null) ? task.queue() : "default";
		return new TaskInfo(id, task.type(), queue, TaskState.DISCARDED, null);
	}

	@Override
	public List<TaskInfo> enqueueAll(List<Task> tasks) {
		return tasks.stream().map(this::enqueue).toList();
	}

	/** How many tasks were discarded. */
	public long discardedCount() {
		return this.discarded.get();
	}

}
