package io.worker;

/**
 * Thrown by the {@link TaskInspector} when the task it is asked to act on does not exist.
 */
public class TaskNotFoundException extends WorkerException {

	public TaskNotFoundException(String queue, String id) {
		super("No task '" + id + "' in queue '" + queue + "'");
	}

}
