package io.worker.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.worker.QueueInfo;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskConflictException;
import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.UnsupportedOperationByBackendException;
import io.worker.runtime.Backoff;
import io.worker.runtime.CapabilityCheckingTaskInspector;
import io.worker.runtime.DefaultTaskClient;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.TaskDefaults;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskSettingsResolver;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What every backend must do, store or broker, as a user of the {@link TaskClient} and the
 * inspector sees it: enqueue results, conflicts or their documented refusal, settlement as the
 * inspector counts it, the cancel broadcast and ping. {@link TaskStoreContractTests} and
 * {@link TaskBrokerContractTests} add what each kind must do on top.
 */
public abstract class TaskBackendContractTests {

	protected static final String TYPE = "test:echo";

	protected static final Duration AWAIT = Duration.ofSeconds(30);

	/** The backend under test, made before each test. */
	protected abstract TaskBackend backend();

	/** The clock the backend reads "now" from. */
	protected abstract Clock backendClock();

	/** A queue no other test uses, removed after the test. */
	protected abstract String newQueue();

	/**
	 * Deliver one task of a queue known to have a pending one, as the runtime would receive it.
	 * @throws Exception when none came
	 */
	protected abstract Delivery takeOne(String queue) throws Exception;

	/** A client over the backend, with the runtime's defaults and no handlers. */
	protected final TaskClient client() {
		TaskDefaults defaults = new TaskDefaults("default", 3, Duration.ofSeconds(30),
				new Backoff(Backoff.Strategy.FIXED, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0), List.of());
		return new DefaultTaskClient(backend(), new TaskSettingsResolver(defaults, Map.of(), new TaskHandlerRegistry()),
				new PayloadCodec(JsonMapper.builder().build()), new TaskEventListener() {
				}, 1024 * 1024, backendClock());
	}

	private boolean has(Capability capability) {
		return backend().capabilities().contains(capability);
	}

	/** A backend without what the task asks for refuses it at enqueue, saying which backend it is. */
	private void assertRefusedNamingTheBackend(Task task) {
		assertThatExceptionOfType(TaskEnqueueException.class).isThrownBy(() -> client().enqueue(task))
			.withMessageContaining(backend().name());
	}

	@Test
	void enqueuedTaskIsPendingAndCountedPending() {
		String queue = newQueue();
		TaskInfo info = client().enqueue(Task.of(TYPE, Map.of("n", 1)).queue(queue));
		assertThat(info.state()).isEqualTo(TaskState.PENDING);
		assertThat(info.queue()).isEqualTo(queue);
		assertThat(info.type()).isEqualTo(TYPE);
		await().atMost(AWAIT).until(() -> backend().inspector().queue(queue).size(TaskState.PENDING) == 1);
	}

	@Test
	void delayedTaskIsScheduledOrRefusedNamingTheBackend() {
		String queue = newQueue();
		Task task = Task.of(TYPE, "later").queue(queue).processIn(Duration.ofHours(1));
		if (has(Capability.DELAYED)) {
			TaskInfo info = client().enqueue(task);
			assertThat(info.state()).isEqualTo(TaskState.SCHEDULED);
			assertThat(info.nextProcessAt()).isAfter(backendClock().instant().plus(Duration.ofMinutes(59)));
		}
		else {
			assertRefusedNamingTheBackend(task);
		}
	}

	@Test
	void secondTaskWithAnExplicitIdInUseConflictsOrExplicitIdsAreRefused() {
		String queue = newQueue();
		Task task = Task.of(TYPE, "once").queue(queue).id("id-" + queue);
		if (has(Capability.EXPLICIT_IDS)) {
			client().enqueue(task);
			assertThatExceptionOfType(TaskConflictException.class).isThrownBy(() -> client().enqueue(task));
		}
		else {
			assertRefusedNamingTheBackend(task);
		}
	}

	@Test
	void secondUniqueTaskConflictsOrUniqueTasksAreRefused() {
		String queue = newQueue();
		Task task = Task.of(TYPE, "unique").queue(queue).unique(Duration.ofMinutes(5));
		if (has(Capability.UNIQUE)) {
			client().enqueue(task);
			assertThatExceptionOfType(TaskConflictException.class).isThrownBy(() -> client().enqueue(task));
		}
		else {
			assertRefusedNamingTheBackend(task);
		}
	}

	@Test
	void retentionIsKeptOrRefused() {
		String queue = newQueue();
		Task task = Task.of(TYPE, "kept").queue(queue).retention(Duration.ofHours(1));
		if (has(Capability.RETENTION)) {
			assertThat(client().enqueue(task).state()).isEqualTo(TaskState.PENDING);
		}
		else {
			assertRefusedNamingTheBackend(task);
		}
	}

	@Test
	void batchEnqueueReturnsOneResultPerTaskInOrder() {
		String queue = newQueue();
		List<TaskInfo> infos = client().enqueueAll(List.of(Task.of(TYPE, 1).queue(queue), Task.of(TYPE, 2).queue(queue),
				Task.of(TYPE, 3).queue(queue)));
		assertThat(infos).hasSize(3).allSatisfy((info) -> assertThat(info.state()).isEqualTo(TaskState.PENDING));
		assertThat(infos).extracting(TaskInfo::id).doesNotHaveDuplicates();
		await().atMost(AWAIT).until(() -> backend().inspector().queue(queue).size(TaskState.PENDING) == 3);
	}

	@Test
	void deliveredTaskCarriesWhatWasEnqueued() throws Exception {
		String queue = newQueue();
		TaskInfo info = client().enqueue(Task.of(TYPE, Map.of("n", 1)).queue(queue).header("tenant", "acme")
			.maxRetries(7).timeout(Duration.ofSeconds(9)));
		TaskMessage message = takeOne(queue).message();
		assertThat(message.id()).isEqualTo(info.id());
		assertThat(message.type()).isEqualTo(TYPE);
		assertThat(message.queue()).isEqualTo(queue);
		assertThat(new String(message.payload())).isEqualTo("{\"n\":1}");
		assertThat(message.headers()).containsEntry("tenant", "acme");
		assertThat(message.maxRetries()).isEqualTo(7);
		assertThat(message.timeout()).isEqualTo(Duration.ofSeconds(9));
		assertThat(message.retried()).isZero();
	}

	@Test
	void completedTaskIsNeitherPendingNorActive() throws Exception {
		String queue = newQueue();
		client().enqueue(Task.of(TYPE, "done").queue(queue));
		Delivery delivery = takeOne(queue);
		delivery.complete(null);
		await().atMost(AWAIT).until(() -> {
			QueueInfo info = backend().inspector().queue(queue);
			return info.size(TaskState.PENDING) == 0 && info.size(TaskState.ACTIVE) == 0;
		});
	}

	@Test
	void archivedTaskIsCountedArchived() throws Exception {
		String queue = newQueue();
		client().enqueue(Task.of(TYPE, "failing").queue(queue));
		Delivery delivery = takeOne(queue);
		delivery.archive(delivery.message().withError("boom", Instant.now(backendClock())));
		await().atMost(AWAIT).until(() -> backend().inspector().queue(queue).size(TaskState.ARCHIVED) == 1);
		assertThat(backend().inspector().queue(queue).size(TaskState.PENDING)).isZero();
	}

	@Test
	void cancelReachesEveryCancelListener() throws InterruptedException {
		String id = "cancel-" + newQueue();
		CountDownLatch cancelled = new CountDownLatch(1);
		backend().onCancel((taskId) -> {
			if (taskId.equals(id)) {
				cancelled.countDown();
			}
		});
		backend().inspector().cancelTask(id);
		assertThat(cancelled.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
	}

	@Test
	void operationsTheBackendLacksAreRefusedNamingIt() {
		String queue = newQueue();
		TaskInspector inspector = CapabilityCheckingTaskInspector.of(backend());
		Map<Capability, ThrowingCallable> operations = new EnumMap<>(Capability.class);
		operations.put(Capability.LIST_TASKS, () -> inspector.tasks(queue, TaskState.PENDING, 0, 10));
		operations.put(Capability.FIND_TASK, () -> inspector.task(queue, "id-1"));
		operations.put(Capability.MANAGE_WAITING, () -> inspector.archiveTask(queue, "id-1"));
		operations.put(Capability.PAUSE, () -> inspector.pauseQueue(queue));
		operations.forEach((capability, operation) -> {
			if (!has(capability)) {
				assertThatExceptionOfType(UnsupportedOperationByBackendException.class).isThrownBy(operation)
					.withMessageContaining(backend().name())
					.withMessageContaining(capability.name());
			}
		});
	}

	@Test
	void pingAnswersWhileTheBackendIsReachable() {
		backend().ping();
	}

}
