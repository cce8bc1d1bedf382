package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.worker.SkipRetryException;
import io.worker.TaskInterceptor;
import io.worker.WorkerException;
import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivered task to its end on the calling thread: through the interceptor chain to its
 * handler, then settles the delivery by the outcome (complete, retry with backoff, archive, or hand
 * back at shutdown). Every backend's tasks, pulled or pushed, go through here.
 */
public final class TaskExecutor {

	private static final Logger logger = LoggerFactory.getLogger(TaskExecutor.class);

	private final TaskHandlerRegistry handlers;

	private final TaskSettingsResolver settings;

	private final PayloadCodec codec;

	private final List<TaskInterceptor> interceptors;

	private final ActiveTasks activeTasks;

	private final TaskEventListener listener;

	private final Clock clock;

	private Limits limits = Limits.DEFAULT;

	/**
	 * @param interceptors the interceptors, outermost first
	 * @param listener told of every attempt
	 */
	public TaskExecutor(TaskHandlerRegistry handlers, TaskSettingsResolver settings, PayloadCodec codec,
			List<TaskInterceptor> interceptors, ActiveTasks activeTasks, TaskEventListener listener, Clock clock) {
		this.handlers = handlers;
		this.settings = settings;
		this.codec = codec;
		this.interceptors = List.copyOf(interceptors);
		this.activeTasks = activeTasks;
		this.listener = listener;
		this.clock = clock;
	}

	/**
	 * Bound the results kept and shorten errors and progress messages.
	 * @param limits the limits; {@link Limits#DEFAULT} until set
	 */
	public void setLimits(Limits limits) {
		this.limits = limits;
	}

	/**
	 * Run one delivery and settle it. Never throws: failures settle the task.
	 * @return how it ended; {@link TaskOutcome#ABANDONED} when it was not settled here (its lease was
	 *     lost or the backend refused the settlement), so that a broker delivers it again
	 */
	public TaskOutcome execute(Delivery delivery) {
		TaskMessage message = delivery.message();
		String malformed = delivery.malformed();
		if (malformed != null) {
			logger.error("Task {} in queue {} cannot be read and is archived without running: {}", message.id(),
				message.queue(), malformed);
			this.listener.malformed(message, malformed);
			return archive(delivery, message, "malformed task: " + malformed);
		}
		Instant start = this.clock.instant();
		this.listener.started(message, positive(Duration.between(delivery.readyAt(), start)));
		long startNanos = System.nanoTime();
		TaskOutcome outcome = run(delivery, countLostDeliveries(delivery, start));
		this.listener.finished(message, outcome, Duration.ofNanos(System.nanoTime() - startNanos));
		return outcome;
	}

	/**
	 * Each earlier delivery that ended unsettled (its worker died, its connection was lost) counts as
	 * a failed attempt, so a task that kills its worker every time is archived in the end on every
	 * backend. Stores count these when they recover an expired lease, and deliver a count of 1.
	 */
	private static TaskMessage countLostDeliveries(Delivery delivery, Instant now) {
		TaskMessage message = delivery.message();
		int lost = delivery.deliveryCount() - 1;
		for (int i = 0; i < lost; i++) {
			message = message.failed("delivery lost " + lost + " time(s): the worker running it stopped or lost its "
					+ "connection", now);
		}
		return message;
	}

	private TaskOutcome run(Delivery delivery, TaskMessage message) {
		TaskSettings settings = this.settings.resolve(message.type());
		int maxRetries = Objects.requireNonNullElse(message.maxRetries(), settings.maxRetries());
		if (message.retried() > maxRetries) {
			return archive(delivery, message, String.valueOf(message.lastError()));
		}
		if (!settings.enabled()) {
			return archive(delivery, message, "task type '" + message.type() + "' is disabled");
		}
		TaskHandlerMethod handler = this.handlers.get(message.type());
		if (handler == null) {
			return fail(delivery, message, settings, maxRetries,
					"no handler for task type '" + message.type() + "' on this worker");
		}
		Instant deadline = message.deadline();
		if (deadline != null && !this.clock.instant().isBefore(deadline)) {
			return archive(delivery, message, "deadline exceeded: " + deadline);
		}
		Duration timeout = Objects.requireNonNullElse(message.timeout(), settings.timeout());
		RunningTask task = new RunningTask(delivery, message, settings, maxRetries, timeout, Thread.currentThread(),
				this.limits);
		this.activeTasks.add(task);
		Object result = null;
		Throwable failure = null;
		try {
			result = chain(task, handler, 0).proceed();
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			task.finish();
			this.activeTasks.remove(task);
		}
		return settle(task, message, handler, result, failure);
	}

	private TaskOutcome settle(RunningTask task, TaskMessage message, TaskHandlerMethod handler,
			@Nullable Object result, @Nullable Throwable failure) {
		Delivery delivery = task.delivery();
		StopReason stopped = task.stopReason();
		if (stopped == StopReason.LEASE_LOST) {
			logger.warn("Task {} of type {} lost its lease; it is left to the worker that holds it now",
					message.id(), message.type());
			return TaskOutcome.ABANDONED;
		}
		if (stopped == StopReason.SHUTDOWN && failure != null) {
			return attempt(() -> delivery.requeue(), TaskOutcome.REQUEUED, message);
		}
		if (stopped == StopReason.CANCELLED) {
			return archive(delivery, message, "cancelled");
		}
		if (stopped == StopReason.DEADLINE) {
			return archive(delivery, message, "deadline exceeded: " + message.deadline());
		}
		if (stopped == StopReason.TIMEOUT) {
			return fail(delivery, message, task.settings(), task.maxRetries(), "timed out after " + task.timeout());
		}
		if (failure == null) {
			byte[] json = (result != null || handler.returnsResult()) ? this.codec.write(result) : null;
			if (json != null && json.length > this.limits.maxResultBytes()) {
				// kept whole or not at all: a cut JSON document cannot be read back
				String error = "The result is " + json.length + " bytes as JSON, more than worker.limits.max-result-size ("
						+ this.limits.maxResultBytes() + " bytes)";
				logger.warn("Task {} of type {} is archived: {}", message.id(), message.type(), error);
				return archive(delivery, message, error);
			}
			return attempt(() -> delivery.complete(json), TaskOutcome.SUCCESS, message);
		}
		String error = this.limits.error(describe(failure));
		if (failure instanceof PayloadBindingException || failure instanceof SkipRetryException
				|| !task.settings().isRetryable(failure)) {
			logger.warn("Task {} of type {} failed and is not retryable: {}", message.id(), message.type(), error);
			return archive(delivery, message, error);
		}
		return fail(delivery, message, task.settings(), task.maxRetries(), error);
	}

	private TaskOutcome fail(Delivery delivery, TaskMessage message, TaskSettings settings, int maxRetries,
			String error) {
		Instant now = this.clock.instant();
		TaskMessage failed = message.failed(error, now);
		if (failed.retried() > maxRetries) {
			logger.warn("Task {} of type {} failed {} times and is archived: {}", message.id(), message.type(),
					failed.retried(), error);
			return attempt(() -> delivery.archive(failed), TaskOutcome.ARCHIVED, message);
		}
		Instant next = now.plus(settings.backoff().delay(failed.retried()));
		logger.info("Task {} of type {} failed (attempt {}), retrying at {}: {}", message.id(), message.type(),
				failed.retried(), next, error);
		return attempt(() -> delivery.retry(failed, next), TaskOutcome.RETRIED, message);
	}

	private TaskOutcome archive(Delivery delivery, TaskMessage message, String error) {
		TaskMessage failed = message.withError(this.limits.error(error), this.clock.instant());
		return attempt(() -> delivery.archive(failed), TaskOutcome.ARCHIVED, message);
	}

	/**
	 * Settle; a backend that refuses or cannot be reached leaves the task unsettled: a store recovers
	 * it when its lease expires, a broker delivers it again.
	 */
	private TaskOutcome attempt(Runnable settlement, TaskOutcome outcome, TaskMessage message) {
		try {
			settlement.run();
			return outcome;
		}
		catch (RuntimeException ex) {
			logger.error("Could not record outcome {} of task {} of type {}; it will be delivered again", outcome,
					message.id(), message.type(), ex);
			return TaskOutcome.ABANDONED;
		}
	}

	private TaskInterceptor.Chain chain(RunningTask task, TaskHandlerMethod handler, int index) {
		if (index == this.interceptors.size()) {
			return () -> handler.invoke(task.message().payload(), task, this.codec);
		}
		TaskInterceptor interceptor = this.interceptors.get(index);
		TaskInterceptor.Chain next = chain(task, handler, index + 1);
		return () -> interceptor.intercept(task, next);
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		if (failure instanceof WorkerException || failure instanceof RecoveryInterceptor.HandlerErrorException) {
			return String.valueOf(message);
		}
		return failure.getClass().getName() + ((message != null) ? ": " + message : "");
	}

	private static Duration positive(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

}
