package io.worker.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.worker.RecurringTasks;
import io.worker.Schedule;
import io.worker.ScheduleFire;
import io.worker.ScheduleInfo;
import io.worker.TaskClient;
import io.worker.TaskDetail;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.OverlapPolicy;
import io.worker.spi.Capability;
import io.worker.spi.ScheduleStore;
import io.worker.spi.ScheduleStore.StoredSchedule;
import io.worker.spi.TaskBackend;
import org.jspecify.annotations.Nullable;

/**
 * {@link RecurringTasks} over the backend's {@link ScheduleStore}: every change is written to the
 * backend, where every instance's scheduler reads it at its next step.
 */
public final class DefaultRecurringTasks implements RecurringTasks {

	private final TaskBackend backend;

	private final @Nullable ScheduleStore store;

	private final TaskClient client;

	private final TaskInspector inspector;

	private final ScheduleCodec codec;

	private final Clock clock;

	private final int historySize;

	public DefaultRecurringTasks(TaskBackend backend, TaskClient client, TaskInspector inspector, PayloadCodec payloads,
			Clock clock, int historySize) {
		this.backend = backend;
		this.store = backend.scheduleStore();
		this.client = client;
		this.inspector = inspector;
		this.codec = new ScheduleCodec(payloads);
		this.clock = clock;
		this.historySize = historySize;
	}

	/**
	 * Check that a schedule can be stored and fired on this backend.
	 * @throws IllegalArgumentException when its cron expression is invalid, naming the schedule
	 * @throws IllegalStateException when the backend keeps no schedules, or cannot check for overlap
	 */
	public void validate(Schedule schedule) {
		store();
		ScheduleTicks.of(schedule);
		if (schedule.overlap() == OverlapPolicy.SKIP && !this.backend.capabilities().contains(Capability.FIND_TASK)) {
			throw new IllegalStateException("Schedule '" + schedule.name() + "' skips overlapping ticks, but the "
					+ this.backend.name() + " backend cannot look up a task (FIND_TASK)");
		}
	}

	@Override
	public ScheduleInfo upsert(Schedule schedule) {
		validate(schedule);
		ScheduleStore store = store();
		Optional<StoredSchedule> existing = store.get(schedule.name());
		Instant since = this.clock.instant();
		if (existing.isPresent()) {
			Map<String, String> stored = existing.get().definition();
			boolean wasEnabled = Boolean.parseBoolean(stored.getOrDefault("enabled", "true"));
			if (wasEnabled || !schedule.enabled()) {
				since = ScheduleCodec.since(stored);
			}
		}
		Map<String, String> definition = this.codec.encode(schedule, since);
		if (existing.isEmpty() || !ScheduleCodec.withoutSince(existing.get().definition())
			.equals(ScheduleCodec.withoutSince(definition)) || !ScheduleCodec.since(existing.get().definition()).equals(since)) {
			store.save(schedule.name(), definition);
		}
		return get(schedule.name()).orElseThrow(() -> new IllegalStateException(
				"Schedule '" + schedule.name() + "' was removed while it was saved"));
	}

	@Override
	public boolean remove(String name) {
		return store().remove(name);
	}

	@Override
	public void enable(String name) {
		upsert(schedule(name).toBuilder().enabled(true).build());
	}

	@Override
	public void disable(String name) {
		upsert(schedule(name).toBuilder().enabled(false).build());
	}

	@Override
	public TaskInfo trigger(String name) {
		Schedule schedule = schedule(name);
		Instant now = this.clock.instant();
		String id = name + ":manual:" + UUID.randomUUID();
		if (this.backend.capabilities().contains(Capability.EXPLICIT_IDS)) {
			TaskInfo task = this.client.enqueue(schedule.toTask().id(id));
			store().recordFire(name, new ScheduleFire(now, task.id(), task.queue(), now), true, this.historySize);
			return task;
		}
		// the backend names its tasks: the history names the trigger by the header the task carries
		TaskInfo task = this.client.enqueue(schedule.toTask().header(ScheduleStore.TICK_HEADER, id));
		store().recordFire(name, new ScheduleFire(now, id, task.queue(), now), true, this.historySize);
		return task;
	}

	@Override
	public Optional<ScheduleInfo> get(String name) {
		return store().get(name).map(this::info);
	}

	@Override
	public List<ScheduleInfo> list() {
		List<ScheduleInfo> all = new ArrayList<>();
		for (StoredSchedule stored : store().list()) {
			try {
				all.add(info(stored));
			}
			catch (RuntimeException ex) {
				// a definition this version cannot read is left out, not fatal to the listing
			}
		}
		all.sort(Comparator.comparing((info) -> info.schedule().name()));
		return all;
	}

	Schedule decode(StoredSchedule stored) {
		return this.codec.decode(stored.name(), stored.definition());
	}

	boolean hasStore() {
		return this.store != null;
	}

	String backendName() {
		return this.backend.name();
	}

	/**
	 * Check a schedule's cron expression without a backend.
	 * @throws IllegalArgumentException when it is invalid, naming the schedule
	 */
	public static void checkExpression(Schedule schedule) {
		ScheduleTicks.of(schedule);
	}

	ScheduleStore store() {
		if (this.store == null) {
			throw new IllegalStateException("The " + this.backend.name()
					+ " backend cannot keep recurring tasks: it has no ScheduleStore");
		}
		return this.store;
	}

	TaskClient client() {
		return this.client;
	}

	int historySize() {
		return this.historySize;
	}

	/** Whether a task is still to finish: pending, scheduled, active or waiting for a retry. */
	boolean unfinished(String queue, String taskId) {
		return this.inspector.task(queue, taskId)
			.map(TaskDetail::state)
			.map((state) -> state != TaskState.COMPLETED && state != TaskState.ARCHIVED && state != TaskState.DISCARDED)
			.orElse(false);
	}

	private Schedule schedule(String name) {
		return store().get(name)
			.map(this::decode)
			.orElseThrow(() -> new IllegalArgumentException("No schedule named '" + name + "'"));
	}

	private ScheduleInfo info(StoredSchedule stored) {
		Schedule schedule = decode(stored);
		Instant now = this.clock.instant();
		Instant from = latest(now, stored.lastTick());
		Instant next = schedule.enabled() ? ScheduleTicks.of(schedule).next(from) : null;
		List<ScheduleFire> history = stored.history();
		ScheduleFire last = history.isEmpty() ? null : history.get(0);
		Instant lastTick = history.stream().map(ScheduleFire::tick).max(Comparator.naturalOrder()).orElse(null);
		return new ScheduleInfo(schedule, next, lastTick, (last != null) ? last.taskId() : null,
				(last != null) ? outcome(last) : null, history);
	}

	private @Nullable TaskState outcome(ScheduleFire fire) {
		try {
			return this.inspector.task(fire.queue(), fire.taskId()).map(TaskDetail::state).orElse(null);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	static Instant latest(Instant a, @Nullable Instant b) {
		return (b != null && b.isAfter(a)) ? b : a;
	}

}
