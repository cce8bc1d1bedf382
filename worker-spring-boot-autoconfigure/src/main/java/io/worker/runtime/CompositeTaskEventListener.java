package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.worker.TaskInfo;
import io.worker.spi.TaskMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells several listeners; one that throws does not keep the others from hearing or fail the task.
 */
public final class CompositeTaskEventListener implements TaskEventListener {

	private static final Logger logger = LoggerFactory.getLogger(CompositeTaskEventListener.class);

	private final List<TaskEventListener> listeners;

	public CompositeTaskEventListener(List<TaskEventListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void enqueued(TaskInfo task) {
		each((listener) -> listener.enqueued(task));
	}

	@Override
	public void started(TaskMessage task, Duration queueWait) {
		each((listener) -> listener.started(task, queueWait));
	}

	@Override
	public void finished(TaskMessage task, TaskOutcome outcome, Duration duration) {
		each((listener) -> listener.finished(task, outcome, duration));
	}

	@Override
	public void malformed(TaskMessage task, String reason) {
		each((listener) -> listener.malformed(task, reason));
	}

	@Override
	public void dropped(String queue, String reason) {
		each((listener) -> listener.dropped(queue, reason));
	}

	@Override
	public void heartbeat(Instant at) {
		each((listener) -> listener.heartbeat(at));
	}

	private void each(java.util.function.Consumer<TaskEventListener> call) {
		for (TaskEventListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Task event listener {} failed", listener, ex);
			}
		}
	}

}
