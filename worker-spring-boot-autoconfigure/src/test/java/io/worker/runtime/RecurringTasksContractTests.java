package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.worker.Cron;
import io.worker.MisfirePolicy;
import io.worker.OverlapPolicy;
import io.worker.Schedule;
import io.worker.ScheduleFire;
import io.worker.ScheduleInfo;
import io.worker.Task;
import io.worker.TaskDetail;
import io.worker.TaskState;
import io.worker.spi.Capability;
import io.worker.spi.ScheduleStore;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What every backend's schedule store must give the scheduler: three instances sharing one backend
 * fire each tick exactly once, a stopped instance is taken over without a duplicate, and changes
 * made on one instance are seen by all. Subclassed once per backend.
 * <p>
 * The suite reads what fired through {@link #fired()}, which lists pending tasks; a subclass on a
 * backend that cannot list them (a broker) overrides it with the tasks it received. Where a backend
 * lacks a capability a test depends on (finding a task, an enforced id), the test checks instead
 * what the backend does without it: the refusal, or the store's record-before-enqueue order.
 */
public abstract class RecurringTasksContractTests {

	protected final MutableClock clock = new MutableClock(Instant.parse("2030-03-01T00:00:00Z"));

	protected final String queue = "sched-" + Long.toHexString(System.nanoTime());

	private final List<Instance> instances = new ArrayList<>();

	/** A backend for one more instance, sharing its schedules and tasks with the earlier ones. */
	protected abstract TaskBackend backend();

	/**
	 * Every task the schedules enqueued into {@link #queue} so far, once each time it was enqueued
	 * (a duplicate shows twice). This lists the queue's pending tasks.
	 */
	protected List<FiredTask> fired() {
		List<TaskDetail> pending = backendInstance(0).inspector().tasks(this.queue, TaskState.PENDING, 0, 1000);
		return pending.stream().map((task) -> FiredTask.of(task.id(), task.headers(), task.payload())).toList();
	}

	/** Waits until {@link #fired()} has seen every task enqueued so far; nothing to wait for on a store. */
	protected void awaitEnqueued() {
	}

	@BeforeEach
	void startThreeInstances() {
		for (int i = 0; i < 3; i++) {
			this.instances.add(new Instance(backend()));
		}
	}

	@Test
	void threeInstancesFireEachOfAHundredTicksOnce() {
		tasks(0).upsert(everyMinute("report").build());
		Set<String> expected = new TreeSet<>();
		for (int tick = 1; tick <= 100; tick++) {
			this.clock.advance(Duration.ofMinutes(1));
			expected.add("report:" + this.clock.instant().getEpochSecond());
			for (int i = 0; i < 3; i++) {
				scheduler((tick + i) % 3).runOnce();
			}
		}
		awaitEnqueued();
		assertThat(firedIds()).hasSize(100).containsExactlyElementsOf(expected);
	}

	@Test
	void anInstanceStoppedIsTakenOverWithoutADuplicate() {
		tasks(0).upsert(everyMinute("report").build());
		this.clock.advance(Duration.ofMinutes(1));
		scheduler(0).runOnce();
		scheduler(1).runOnce();
		this.clock.advance(Duration.ofMinutes(1));
		// instance 0 is gone: the others go on from the last tick it fired
		scheduler(1).runOnce();
		scheduler(2).runOnce();
		this.clock.advance(Duration.ofMinutes(1));
		scheduler(2).runOnce();
		assertThat(pendingIds()).hasSize(3);
		assertThat(firedIds()).hasSize(3);
		assertThat(tasks(2).get("report").orElseThrow().history()).hasSize(3);
	}

	@Test
	void aTickEnqueuedByAnInstanceThatDiedBeforeRecordingItIsNotEnqueuedAgain() {
		tasks(0).upsert(everyMinute("report").build());
		if (tasks(0).store().recordsBeforeEnqueue()) {
			aTickRecordedByAnInstanceThatDiedBeforeEnqueueingItIsLostNotFiredTwice();
			return;
		}
		this.clock.advance(Duration.ofMinutes(1));
		String id = "report:" + this.clock.instant().getEpochSecond();
		// what an instance did before it died: it enqueued the tick's task, its claim then expired
		tasks(0).client().enqueue(Task.of("report:build", null).queue(this.queue).id(id));
		scheduler(1).runOnce();
		assertThat(pendingIds()).containsExactly(id);
		assertThat(tasks(2).get("report").orElseThrow().lastTaskId()).isEqualTo(id);
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		assertThat(pendingIds()).hasSize(2);
	}

	/** The price of recording first: the tick is gone, and the next fires as usual. */
	private void aTickRecordedByAnInstanceThatDiedBeforeEnqueueingItIsLostNotFiredTwice() {
		this.clock.advance(Duration.ofMinutes(1));
		Instant tick = this.clock.instant();
		String id = "report:" + tick.getEpochSecond();
		assertThat(tasks(0).store().claimTick("report", tick, Duration.ofSeconds(1))).isTrue();
		tasks(0).store().recordFire("report", new ScheduleFire(tick, id, this.queue, tick), false, 10);
		this.clock.advance(Duration.ofSeconds(2));
		runAll();
		assertThat(pendingIds()).isEmpty();
		assertThat(tasks(2).get("report").orElseThrow().lastTaskId()).isEqualTo(id);
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		awaitEnqueued();
		assertThat(firedIds()).containsExactly("report:" + tick.plus(Duration.ofMinutes(1)).getEpochSecond());
	}

	@Test
	void aNewScheduleFiresNoPastTick() {
		this.clock.advance(Duration.ofSeconds(30));
		tasks(0).upsert(everyMinute("report").build());
		scheduler(0).runOnce();
		assertThat(pendingIds()).isEmpty();
		this.clock.advance(Duration.ofSeconds(30));
		scheduler(1).runOnce();
		assertThat(pendingIds()).hasSize(1);
	}

	@Test
	void changesOnOneInstanceAreSeenByEveryInstance() {
		tasks(0).upsert(everyMinute("report").build());
		assertThat(tasks(1).list()).extracting((info) -> info.schedule().name()).containsExactly("report");
		tasks(1).disable("report");
		assertThat(tasks(2).get("report").orElseThrow().schedule().enabled()).isFalse();
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		assertThat(pendingIds()).isEmpty();
		tasks(2).enable("report");
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		assertThat(pendingIds()).hasSize(1);
		tasks(0).upsert(everyMinute("report").cron("0 0 * * * *").build());
		assertThat(tasks(1).get("report").orElseThrow().schedule().cron()).isEqualTo("0 0 * * * *");
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		assertThat(pendingIds()).hasSize(1);
		assertThat(tasks(2).remove("report")).isTrue();
		assertThat(tasks(0).list()).isEmpty();
		this.clock.advance(Duration.ofHours(1));
		runAll();
		assertThat(pendingIds()).hasSize(1);
	}

	@Test
	void triggerEnqueuesNowAndShowsInTheHistory() {
		tasks(0).upsert(everyMinute("report").payload(Map.of("days", 7)).build());
		tasks(1).trigger("report");
		ScheduleInfo info = tasks(2).get("report").orElseThrow();
		assertThat(info.lastTaskId()).startsWith("report:manual:");
		// the outcome needs a task found by id; a backend that cannot leaves it unknown
		assertThat(info.lastOutcome()).isEqualTo(has(Capability.FIND_TASK) ? TaskState.PENDING : null);
		assertThat(info.nextFireAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(1)));
		awaitEnqueued();
		assertThat(fired()).singleElement().satisfies((task) -> {
			assertThat(task.tickId()).isEqualTo(info.lastTaskId());
			assertThat(task.payload()).isEqualTo("{\"days\":7}");
		});
	}

	@Test
	void missedTicksAreSkippedByDefault() {
		tasks(0).upsert(everyMinute("report").build());
		this.clock.advance(Duration.ofMinutes(10));
		runAll();
		// only the tick within the misfire threshold (1 minute) fires
		assertThat(pendingIds()).hasSize(2);
	}

	@Test
	void fireOnceFiresTheLatestMissedTickWithinTheGrace() {
		tasks(0).upsert(everyMinute("report").misfire(MisfirePolicy.fireOnce(Duration.ofMinutes(5))).build());
		this.clock.advance(Duration.ofMinutes(10));
		runAll();
		assertThat(pendingIds()).hasSize(3);
		tasks(0).upsert(everyMinute("other").misfire(MisfirePolicy.fireOnce(Duration.ofMinutes(1))).build());
		this.clock.advance(Duration.ofMinutes(10));
		runAll();
		assertThat(pendingIds()).filteredOn((id) -> id.startsWith("other:")).hasSize(2);
	}

	@Test
	void catchUpFiresAtMostTheLatestTicks() {
		tasks(0).upsert(everyMinute("report").misfire(MisfirePolicy.catchUp(4)).build());
		this.clock.advance(Duration.ofMinutes(10));
		runAll();
		long base = Instant.parse("2030-03-01T00:00:00Z").getEpochSecond();
		assertThat(pendingIds()).containsExactly("report:" + (base + 300), "report:" + (base + 360),
				"report:" + (base + 420), "report:" + (base + 480), "report:" + (base + 540),
				"report:" + (base + 600));
	}

	@Test
	void overlapSkipSkipsWhileThePreviousTaskIsPendingOrIsRefusedWithoutFindingTasks() {
		if (!has(Capability.FIND_TASK)) {
			assertThatIllegalStateException()
				.isThrownBy(() -> tasks(0).upsert(everyMinute("report").overlap(OverlapPolicy.SKIP).build()))
				.withMessageContaining("Schedule 'report'")
				.withMessageContaining(backendInstance(0).name())
				.withMessageContaining("FIND_TASK");
			assertThat(tasks(0).list()).isEmpty();
			return;
		}
		tasks(0).upsert(everyMinute("report").overlap(OverlapPolicy.SKIP).build());
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		assertThat(pendingIds()).hasSize(1);
		backendInstance(0).inspector().deleteTask(this.queue, pendingIds().first());
		this.clock.advance(Duration.ofMinutes(1));
		runAll();
		assertThat(pendingIds()).hasSize(1);
	}

	@Test
	void badCronIsRefusedNamingTheSchedule() {
		assertThatIllegalArgumentException().isThrownBy(() -> tasks(0).upsert(everyMinute("broken").cron("0 61 * * * *").build()))
			.withMessageContaining("Schedule 'broken'")
			.withMessageContaining("0 61 * * * *");
		assertThat(tasks(0).list()).isEmpty();
	}

	private Schedule.Builder everyMinute(String name) {
		return Schedule.builder(name).cron(Cron.everyMinute()).task("report:build").queue(this.queue);
	}

	private void runAll() {
		this.instances.forEach((instance) -> instance.scheduler.runOnce());
	}

	/** The tick ids of the fired tasks, sorted, a duplicate twice. */
	private List<String> firedIds() {
		return fired().stream().map(FiredTask::tickId).sorted().toList();
	}

	/** The distinct tick ids fired so far, waiting first for what is in flight. */
	private TreeSet<String> pendingIds() {
		awaitEnqueued();
		return new TreeSet<>(firedIds());
	}

	private boolean has(Capability capability) {
		return backendInstance(0).capabilities().contains(capability);
	}

	protected DefaultRecurringTasks tasks(int instance) {
		return this.instances.get(instance).tasks;
	}

	protected RecurringTaskScheduler scheduler(int instance) {
		return this.instances.get(instance).scheduler;
	}

	protected TaskBackend backendInstance(int instance) {
		return this.instances.get(instance).backend;
	}

	/**
	 * A task a schedule enqueued.
	 *
	 * @param tickId the tick's id: the task's id, or its {@link ScheduleStore#TICK_HEADER} header
	 * @param payload its payload as JSON
	 */
	protected record FiredTask(String tickId, String payload) {

		/** The fired task of a task with this id and these headers. */
		public static FiredTask of(String id, Map<String, String> headers, String payload) {
			return new FiredTask(headers.getOrDefault(ScheduleStore.TICK_HEADER, id), payload);
		}

	}

	private final class Instance {

		final TaskBackend backend;

		final DefaultRecurringTasks tasks;

		final RecurringTaskScheduler scheduler;

		Instance(TaskBackend backend) {
			this.backend = backend;
			PayloadCodec codec = new PayloadCodec(JsonMapper.builder().build());
			TaskSettingsResolver settings = new TaskSettingsResolver(TaskDefaults.STANDARD, new HashMap<>(),
					new TaskHandlerRegistry());
			DefaultTaskClient client = new DefaultTaskClient(backend, settings, codec, new TaskEventListener() {
			}, 1024 * 1024, RecurringTasksContractTests.this.clock);
			this.tasks = new DefaultRecurringTasks(backend, client, CapabilityCheckingTaskInspector.of(backend), codec,
					RecurringTasksContractTests.this.clock, 10);
			this.scheduler = new RecurringTaskScheduler(this.tasks, List::of, new ScheduleEventListener() {
			}, RecurringTasksContractTests.this.clock,
					new SchedulerSettings(Duration.ofSeconds(1), Duration.ofMinutes(1), 10));
		}

	}

}
