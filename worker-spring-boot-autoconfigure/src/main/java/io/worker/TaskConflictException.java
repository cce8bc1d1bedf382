package io.worker;

/**
 * Thrown at enqueue when a task with the same id already exists in the queue, or when a unique
 * task's lock is still held by an earlier task.
 */
public class TaskConflictException extends WorkerException {

	public TaskConflictException(String message) {
		super(message);
	}

}
