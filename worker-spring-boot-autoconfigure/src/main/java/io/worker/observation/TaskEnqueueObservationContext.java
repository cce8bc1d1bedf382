package io.worker.observation;

import java.util.Map;

import io.micrometer.observation.transport.SenderContext;

/**
 * The context of enqueueing one task. Its carrier is the task's headers, still mutable: a
 * propagating tracing handler writes the trace context into them.
 */
public final class TaskEnqueueObservationContext extends SenderContext<Map<String, String>> {

	private final String taskId;

	private final String type;

	private final String queue;

	/**
	 * @param headers the task's headers, written to before the task is stored
	 */
	public TaskEnqueueObservationContext(Map<String, String> headers, String taskId, String type, String queue) {
		super((carrier, key, value) -> carrier.put(key, value));
		setCarrier(headers);
		this.taskId = taskId;
		this.type = type;
		this.queue = queue;
	}

	public String getTaskId() {
		return this.taskId;
	}

	public String getType() {
		return this.type;
	}

	public String getQueue() {
		return this.queue;
	}

}
