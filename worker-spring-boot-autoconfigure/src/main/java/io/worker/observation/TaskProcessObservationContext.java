package io.worker.observation;

import java.util.Map;

import io.micrometer.observation.transport.ReceiverContext;
import io.worker.TaskContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of one attempt of a task. Its carrier is the task's headers, read by a propagating
 * tracing handler to continue the enqueuing code's trace.
 */
public final class TaskProcessObservationContext extends ReceiverContext<Map<String, String>> {

	private final TaskContext task;

	private @Nullable String outcome;

	public TaskProcessObservationContext(TaskContext task) {
		super((carrier, key) -> carrier.get(key));
		setCarrier(task.headers());
		this.task = task;
	}

	/** The task being run. */
	public TaskContext getTask() {
		return this.task;
	}

	/** How the handler ended, {@code success} or {@code failure}, or {@code null} while it runs. */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
