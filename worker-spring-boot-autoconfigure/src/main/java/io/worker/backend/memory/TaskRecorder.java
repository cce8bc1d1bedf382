package io.worker.backend.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.worker.spi.TaskMessage;

/**
 * Keeps the most recent tasks enqueued to the in-memory backend, so that tests can assert what
 * their code enqueued. Bounded, so that a long-running application does not grow without end.
 */
public final class TaskRecorder {

	private final int capacity;

	private final Deque<TaskMessage> recorded = new ArrayDeque<>();

	/**
	 * @param capacity how many tasks to keep; older ones are forgotten
	 */
	public TaskRecorder(int capacity) {
		this.capacity = capacity;
	}

	synchronized void record(TaskMessage message) {
		if (this.capacity <= 0) {
			return;
		}
		if (this.recorded.size() == this.capacity) {
			this.recorded.removeFirst();
		}
		this.recorded.addLast(message);
	}

	/** The recorded tasks, oldest first. */
	public synchronized List<TaskMessage> all() {
		return new ArrayList<>(this.recorded);
	}

	/** Forget every recorded task. */
	public synchronized void clear() {
		this.recorded.clear();
	}

}
