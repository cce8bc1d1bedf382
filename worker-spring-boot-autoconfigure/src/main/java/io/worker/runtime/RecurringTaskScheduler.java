package io.worker.runtime;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.worker.Schedule;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the recurring task scheduler of this instance: a {@link SmartLifecycle} in the phase just
 * after the {@link WorkerServer}'s, so it starts once the server runs and stops before it. On its
 * first step it writes the application's declared schedules to the backend; then every
 * {@code worker.scheduler.interval} it fires the due ticks of every schedule in the backend.
 */
public final class RecurringTaskScheduler implements SmartLifecycle {

	/** Just after {@link WorkerServer#PHASE}. */
	public static final int PHASE = WorkerServer.PHASE + 1;

	private final Scheduler scheduler;

	private final DefaultRecurringTasks tasks;

	private final Supplier<List<Schedule>> declared;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * @param tasks the schedules in the backend
	 * @param declared the schedules the application declares (properties, annotations)
	 * @param listener told of fired and skipped ticks
	 * @param clock the clock ticks are compared with
	 * @param settings the interval, misfire threshold and history size
	 */
	public RecurringTaskScheduler(DefaultRecurringTasks tasks, Supplier<List<Schedule>> declared,
			ScheduleEventListener listener, Clock clock, SchedulerSettings settings) {
		this.tasks = tasks;
		this.declared = declared;
		this.scheduler = new Scheduler(tasks, declared, listener, clock, settings);
	}

	/**
	 * Start firing ticks.
	 * @throws IllegalStateException when the application declares schedules and the backend cannot
	 *     keep them, or one of them cannot be fired there
	 */
	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		List<Schedule> schedules = this.declared.get();
		if (!schedules.isEmpty() && !this.tasks.hasStore()) {
			throw new IllegalStateException("Recurring tasks are declared (" + schedules.get(0).name()
					+ (schedules.size() > 1 ? " and " + (schedules.size() - 1) + " more" : "") + "), but the "
					+ this.tasks.backendName() + " backend cannot keep them: it has no ScheduleStore");
		}
		schedules.forEach(this.tasks::validate);
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "worker-scheduler");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.start(this.executor);
	}

	@Override
	public synchronized void stop() {
		if (this.executor == null) {
			return;
		}
		this.scheduler.stop();
		this.executor.shutdownNow();
		this.executor = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Do one step now, on the calling thread: fire what is due on the clock. Steps never overlap.
	 * For tests that move a clock by hand, and for a manual poke.
	 * @throws RuntimeException when the backend cannot be reached
	 */
	public void runOnce() {
		this.scheduler.exec();
	}

}
