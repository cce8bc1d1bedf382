package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.worker.TaskContext;
import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * One attempt in progress: the {@link TaskContext} its handler sees, and the handle the runtime
 * uses to stop it. Only the first stop reason counts.
 */
final class RunningTask implements TaskContext {

	private final Delivery delivery;

	private final TaskMessage message;

	private final TaskSettings settings;

	private final int maxRetries;

	private final Duration timeout;

	private final Thread thread;

	private final Limits limits;

	private boolean finished;

	private final AtomicReference<@Nullable StopReason> stopReason = new AtomicReference<>();

	/**
	 * @param message the delivered task, with the attempts its lost deliveries cost counted
	 */
	RunningTask(Delivery delivery, TaskMessage message, TaskSettings settings, int maxRetries, Duration timeout,
			Thread thread, Limits limits) {
		this.delivery = delivery;
		this.message = message;
		this.settings = settings;
		this.maxRetries = maxRetries;
		this.timeout = timeout;
		this.thread = thread;
		this.limits = limits;
	}

	/** The timeout of this attempt. */
	Duration timeout() {
		return this.timeout;
	}

	Delivery delivery() {
		return this.delivery;
	}

	TaskSettings settings() {
		return this.settings;
	}

	/** Interrupt the handler for the given reason, unless it was already stopped or has finished. */
	synchronized void stop(StopReason reason) {
		if (!this.finished && this.stopReason.compareAndSet(null, reason)) {
			this.thread.interrupt();
		}
	}

	/** Called on the handler's thread once it returned: no interrupt reaches the thread after this. */
	void finish() {
		synchronized (this) {
			this.finished = true;
		}
		Thread.interrupted();
	}

	@Nullable StopReason stopReason() {
		return this.stopReason.get();
	}

	TaskMessage message() {
		return this.message;
	}

	@Override
	public String taskId() {
		return message().id();
	}

	@Override
	public String type() {
		return message().type();
	}

	@Override
	public String queue() {
		return message().queue();
	}

	@Override
	public int attempt() {
		return message().retried() + 1;
	}

	@Override
	public int maxRetries() {
		return this.maxRetries;
	}

	@Override
	public Instant enqueuedAt() {
		return message().enqueuedAt();
	}

	@Override
	public @Nullable Instant deadline() {
		return message().deadline();
	}

	@Override
	public Map<String, String> headers() {
		return message().headers();
	}

	@Override
	public void reportProgress(int percent, @Nullable String message) {
		if (percent < 0 || percent > 100) {
			throw new IllegalArgumentException("Progress must be between 0 and 100, was " + percent);
		}
		this.delivery.reportProgress(percent, (message != null) ? this.limits.progressMessage(message) : null);
	}

}
