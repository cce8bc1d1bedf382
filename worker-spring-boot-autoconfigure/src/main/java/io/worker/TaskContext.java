package io.worker;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a handler knows about the task it runs. Declare it as a parameter of a
 * {@link TaskHandler} method to receive it.
 */
public interface TaskContext {

	/** The task's id. */
	String taskId();

	/** The task's type. */
	String type();

	/** The queue the task came from. */
	String queue();

	/** The number of this attempt, starting at 1. */
	int attempt();

	/** How many retries the task may have in all. */
	int maxRetries();

	/** When the task was enqueued. */
	Instant enqueuedAt();

	/** The instant after which the task must not run, or {@code null}. */
	@Nullable Instant deadline();

	/** The task's headers, read only. */
	Map<String, String> headers();

	/**
	 * Record how far the task has come; visible through the {@link TaskInspector}.
	 * @param percent a value from 0 to 100
	 * @param message a short human readable message, may be {@code null}
	 */
	void reportProgress(int percent, @Nullable String message);

}
