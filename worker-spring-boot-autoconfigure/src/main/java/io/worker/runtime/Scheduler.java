package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.worker.MisfirePolicy;
import io.worker.OverlapPolicy;
import io.worker.Schedule;
import io.worker.ScheduleFire;
import io.worker.TaskConflictException;
import io.worker.TaskInfo;
import io.worker.runtime.ScheduleEventListener.SkipReason;
import io.worker.spi.ScheduleStore;
import io.worker.spi.ScheduleStore.StoredSchedule;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the due ticks of every enabled schedule: for each, the ticks since its last fired (or
 * skipped) one, each claimed in the backend so one instance fires it, and enqueued with an id
 * derived from the tick so a claim handed over between instances cannot enqueue it twice.
 */
final class Scheduler extends PeriodicComponent {

	private static final Logger logger = LoggerFactory.getLogger(Scheduler.class);

	/** The most ticks of one schedule looked at in one step; a longer backlog is skipped in steps. */
	static final int MAX_TICKS_PER_STEP = 10_000;

	private final DefaultRecurringTasks tasks;

	private final Supplier<List<Schedule>> declared;

	private final ScheduleEventListener listener;

	private final Clock clock;

	private final SchedulerSettings settings;

	private final Set<String> failing = new HashSet<>();

	private boolean published;

	Scheduler(DefaultRecurringTasks tasks, Supplier<List<Schedule>> declared, ScheduleEventListener listener, Clock clock,
			SchedulerSettings settings) {
		super(settings.interval());
		this.tasks = tasks;
		this.declared = declared;
		this.listener = listener;
		this.clock = clock;
		this.settings = settings;
	}

	@Override
	synchronized void exec() {
		if (!this.tasks.hasStore()) {
			return;
		}
		if (!this.published) {
			// the application's declared schedules, written once the backend answers
			this.declared.get().forEach(this.tasks::upsert);
			this.published = true;
		}
		Instant now = this.clock.instant();
		for (StoredSchedule stored : this.tasks.store().list()) {
			try {
				step(stored, now);
				if (this.failing.remove(stored.name())) {
					logger.info("Schedule '{}' fires again", stored.name());
				}
			}
			catch (RuntimeException ex) {
				if (this.failing.add(stored.name())) {
					logger.warn("Schedule '{}' failed; trying again every {}: {}", stored.name(),
							this.settings.interval(), ex.toString());
				}
			}
		}
	}

	private void step(StoredSchedule stored, Instant now) {
		Schedule schedule = this.tasks.decode(stored);
		if (!schedule.enabled()) {
			return;
		}
		Instant baseline = DefaultRecurringTasks.latest(ScheduleCodec.since(stored.definition()), stored.lastTick());
		Plan plan = plan(ScheduleTicks.of(schedule), schedule.misfire(), baseline, now);
		ScheduleStore store = this.tasks.store();
		String name = schedule.name();
		Duration ttl = this.settings.claimTtl();
		if (plan.lastSkipped != null && store.claimTick(name, plan.lastSkipped, ttl)) {
			store.advance(name, plan.lastSkipped);
			this.listener.skipped(name, SkipReason.MISFIRE, plan.skipped);
		}
		ScheduleFire previous = stored.history().isEmpty() ? null : stored.history().get(0);
		for (Tick tick : plan.fire) {
			if (!store.claimTick(name, tick.at, ttl)) {
				continue;
			}
			if (schedule.overlap() == OverlapPolicy.SKIP && previous != null
					&& this.tasks.unfinished(previous.queue(), previous.taskId())) {
				store.advance(name, tick.at);
				this.listener.skipped(name, SkipReason.OVERLAP, 1);
				continue;
			}
			previous = fire(schedule, tick, now);
		}
	}

	private ScheduleFire fire(Schedule schedule, Tick tick, Instant now) {
		String id = schedule.name() + ":" + tick.at.getEpochSecond();
		ScheduleStore store = this.tasks.store();
		ScheduleFire fire;
		if (store.recordsBeforeEnqueue()) {
			// the backend cannot refuse a duplicate id: the confirmed record makes the tick final first
			fire = new ScheduleFire(tick.at, id, (schedule.queue() != null) ? schedule.queue() : "", now);
			store.recordFire(schedule.name(), fire, false, this.tasks.historySize());
			this.tasks.client().enqueue(schedule.toTask().header(ScheduleStore.TICK_HEADER, id));
		}
		else {
			String queue;
			try {
				TaskInfo task = this.tasks.client().enqueue(schedule.toTask().id(id));
				queue = task.queue();
			}
			catch (TaskConflictException ex) {
				// an instance that claimed the tick before us enqueued it, then lost its claim
				queue = (schedule.queue() != null) ? schedule.queue() : "";
			}
			fire = new ScheduleFire(tick.at, id, queue, now);
			store.recordFire(schedule.name(), fire, false, this.tasks.historySize());
		}
		this.listener.fired(schedule.name(), tick.at, Duration.between(tick.at, now), tick.misfired);
		return fire;
	}

	/**
	 * Which ticks after {@code baseline} up to {@code now} fire: those at most the misfire threshold
	 * old, and of the older (missed) ones what the misfire policy keeps; the others are skipped.
	 */
	Plan plan(ScheduleTicks ticks, MisfirePolicy policy, Instant baseline, Instant now) {
		Instant onTimeFrom = now.minus(this.settings.misfireThreshold());
		int keep = switch (policy.kind()) {
			case SKIP -> 0;
			case FIRE_ONCE -> 1;
			case CATCH_UP -> policy.maxTicks();
		};
		Deque<Instant> missed = new ArrayDeque<>();
		List<Tick> onTime = new ArrayList<>();
		long missedCount = 0;
		Instant lastSkipped = null;
		Instant at = ticks.next(baseline);
		int looked = 0;
		while (at != null && !at.isAfter(now) && looked < MAX_TICKS_PER_STEP) {
			looked++;
			if (at.isBefore(onTimeFrom)) {
				missedCount++;
				missed.addLast(at);
				if (missed.size() > keep) {
					lastSkipped = missed.removeFirst();
				}
			}
			else {
				onTime.add(new Tick(at, false));
			}
			at = ticks.next(at);
		}
		if (looked == MAX_TICKS_PER_STEP && at != null && !at.isAfter(now)) {
			// a backlog longer than a step: skip what was looked at, the rest at the next step
			Instant last = onTime.isEmpty() ? missed.peekLast() : onTime.get(onTime.size() - 1).at;
			return new Plan(looked, last, List.of());
		}
		List<Tick> fire = new ArrayList<>();
		for (Instant kept : missed) {
			if (policy.kind() != MisfirePolicy.Kind.FIRE_ONCE || !kept.isBefore(now.minus(policy.grace()))) {
				fire.add(new Tick(kept, true));
			}
			else {
				lastSkipped = kept;
			}
		}
		fire.addAll(onTime);
		long skipped = missedCount - (fire.size() - onTime.size());
		return new Plan(skipped, lastSkipped, fire);
	}

	record Tick(Instant at, boolean misfired) {
	}

	record Plan(long skipped, @Nullable Instant lastSkipped, List<Tick> fire) {
	}

}
