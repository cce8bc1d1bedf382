package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.TaskRecorder;
import io.worker.spi.Capability;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.LimitedBackend;
import io.worker.testsupport.MutableClock;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Each inspector operation a backend lacks the capability for is refused, naming the backend and
 * the capability, and nothing reaches the backend.
 */
class CapabilityCheckingTaskInspectorTests {

	private final MutableClock clock = MutableClock.atEpochDay();

	private final InMemoryTaskStore store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 100,
			Duration.ofDays(1), new TaskRecorder(100));

	@Test
	void backendWithEveryCapabilityKeepsItsOwnInspector() {
		assertThat(CapabilityCheckingTaskInspector.of(this.store)).isInstanceOf(this.store.inspector().getClass());
	}

	@Test
	void bareBackendRefusesEverythingButSizesCancelAndWorkers() {
		TaskInspector inspector = CapabilityCheckingTaskInspector.of(LimitedBackend.bare(this.store));
		String id = enqueue("t-1", null);
		assertRefused(() -> inspector.tasks("default", TaskState.PENDING, 0, 10), "LIST_TASKS", "listing pending");
		assertRefused(() -> inspector.tasks("default", TaskState.ARCHIVED, 0, 10), "LIST_TASKS", "listing archived");
		assertRefused(() -> inspector.task("default", id), "FIND_TASK", "finding a task");
		assertRefused(() -> inspector.runTask("default", id), "RUN_SCHEDULED", "running a scheduled");
		assertRefused(() -> inspector.archiveTask("default", id), "MANAGE_WAITING", "archiving");
		assertRefused(() -> inspector.deleteTask("default", id), "MANAGE_WAITING", "deleting");
		assertRefused(() -> inspector.pauseQueue("default"), "PAUSE", "pausing");
		assertRefused(() -> inspector.resumeQueue("default"), "PAUSE", "resuming");
		assertThat(this.store.inspector().task("default", id)).get()
			.extracting((task) -> task.state())
			.isEqualTo(TaskState.PENDING);
		assertThat(this.store.inspector().queue("default").paused()).isFalse();
		assertThat(inspector.queue("default").knows(TaskState.SCHEDULED)).isFalse();
		assertThat(inspector.queue("default").size(TaskState.PENDING)).isEqualTo(1);
		assertThat(inspector.workers()).isEmpty();
		assertThatNoException().isThrownBy(() -> inspector.cancelTask(id));
	}

	@Test
	void archiveListedAloneAllowsListingRunningAndDeletingArchivedTasksOnly() {
		TaskInspector inspector = inspector(Capability.LIST_ARCHIVED);
		String id = enqueue("t-1", null);
		this.store.inspector().archiveTask("default", id);
		assertThat(inspector.tasks("default", TaskState.ARCHIVED, 0, 10)).hasSize(1);
		assertRefused(() -> inspector.tasks("default", TaskState.COMPLETED, 0, 10), "LIST_TASKS", "listing completed");
		inspector.runTask("default", id);
		assertThat(this.store.inspector().queue("default").size(TaskState.PENDING)).isEqualTo(1);
		assertRefused(() -> inspector.task("default", id), "FIND_TASK", "finding a task");
		String deleted = enqueue("t-2", null);
		this.store.inspector().archiveTask("default", deleted);
		inspector.deleteTask("default", deleted);
		assertThat(this.store.inspector().task("default", deleted)).isEmpty();
	}

	@Test
	void withoutRunScheduledAFindableArchivedTaskStillRunsButAScheduledOneIsRefused() {
		TaskInspector inspector = inspector(Capability.FIND_TASK);
		String archived = enqueue("t-1", null);
		this.store.inspector().archiveTask("default", archived);
		String scheduled = enqueue("t-2", this.clock.instant().plusSeconds(60));
		assertRefused(() -> inspector.runTask("default", scheduled), "RUN_SCHEDULED", "running a scheduled");
		inspector.runTask("default", archived);
		assertThat(this.store.inspector().task("default", archived)).get()
			.extracting((task) -> task.state())
			.isEqualTo(TaskState.PENDING);
		assertThatExceptionOfType(TaskNotFoundException.class)
			.isThrownBy(() -> inspector.runTask("default", "no-such-task"));
	}

	@Test
	void withoutManageWaitingAFindableArchivedTaskIsStillDeletedButAWaitingOneIsRefused() {
		TaskInspector inspector = inspector(Capability.FIND_TASK);
		String archived = enqueue("t-1", null);
		this.store.inspector().archiveTask("default", archived);
		String pending = enqueue("t-2", null);
		assertRefused(() -> inspector.deleteTask("default", pending), "MANAGE_WAITING", "deleting a waiting task");
		inspector.deleteTask("default", archived);
		assertThat(this.store.inspector().task("default", archived)).isEmpty();
		assertThat(this.store.inspector().task("default", pending)).isPresent();
	}

	@Test
	void operationsWithTheirCapabilityReachTheBackend() {
		TaskInspector inspector = inspector(Capability.LIST_TASKS, Capability.FIND_TASK, Capability.MANAGE_WAITING,
				Capability.RUN_SCHEDULED, Capability.PAUSE);
		String id = enqueue("t-1", this.clock.instant().plusSeconds(60));
		assertThat(inspector.tasks("default", TaskState.SCHEDULED, 0, 10)).hasSize(1);
		assertThat(inspector.task("default", id)).isPresent();
		inspector.runTask("default", id);
		inspector.archiveTask("default", id);
		inspector.deleteTask("default", id);
		inspector.pauseQueue("default");
		assertThat(inspector.queue("default").paused()).isTrue();
		inspector.resumeQueue("default");
		assertThat(inspector.queue("default").paused()).isFalse();
	}

	private TaskInspector inspector(Capability... capabilities) {
		return CapabilityCheckingTaskInspector.of(new LimitedBackend(this.store,
				EnumSet.of(capabilities[0], capabilities), Set.of(TaskState.values())));
	}

	private String enqueue(String id, @Nullable Instant processAt) {
		TaskMessage message = TaskMessage.builder(id, "test", "default").enqueuedAt(this.clock.instant()).build();
		return this.store.enqueue(List.of(new EnqueueRequest(message, processAt))).get(0).info().id();
	}

	private static void assertRefused(ThrowingCallable operation, String capability, String what) {
		assertThatExceptionOfType(UnsupportedOperationByBackendException.class).isThrownBy(operation)
			.withMessageContaining("The fake backend does not support " + what)
			.withMessageContaining("capability " + capability)
			.satisfies((ex) -> {
				assertThat(ex.getBackend()).isEqualTo("fake");
				assertThat(ex.getCapability()).isEqualTo(capability);
			});
	}

}
