package io.worker;

import java.util.List;

/**
 * Enqueues tasks. Injected as a bean; safe for concurrent use.
 *
 * <pre class="code">
 * taskClient.enqueue("email:welcome", new WelcomeEmail(userId));
 * taskClient.enqueue(Task.of("report:build", request).queue("low").processIn(Duration.ofMinutes(5)));
 * </pre>
 */
public interface TaskClient {

	/**
	 * Enqueue a task of the given type to be processed now.
	 * @param type the task type
	 * @param payload the payload, written as JSON
	 * @return what was enqueued
	 * @throws TaskConflictException if a unique task with the same type, queue and payload is held
	 * @throws PayloadTooLargeException if the payload exceeds {@code worker.client.max-payload-size}
	 * @throws TaskEnqueueException if the backend cannot take the task
	 */
	default TaskInfo enqueue(String type, Object payload) {
		return enqueue(Task.of(type, payload));
	}

	/**
	 * Enqueue a task with its options.
	 * @param task the task
	 * @return what was enqueued
	 * @throws TaskConflictException if the task's id or unique lock is taken
	 * @throws PayloadTooLargeException if the payload exceeds {@code worker.client.max-payload-size}
	 * @throws TaskEnqueueException if the backend cannot take the task
	 */
	TaskInfo enqueue(Task task);

	/**
	 * Enqueue several tasks in as few round trips as the backend allows. Each task is enqueued on its
	 * own: a conflict on one is reported in its place and does not stop the others.
	 * @param tasks the tasks
	 * @return one result per task, in order
	 * @throws BatchEnqueueException if one or more tasks were refused; it carries every result
	 */
	List<TaskInfo> enqueueAll(List<Task> tasks);

}
