package io.worker.backend.memory;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.runtime.ActiveTasks;
import io.worker.runtime.Backoff;
import io.worker.runtime.DefaultTaskClient;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.TaskDefaults;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskExecutor;
import io.worker.runtime.TaskHandlerMethod;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test-support API of the in-memory backend: what was enqueued, and running tasks on the
 * test's own thread.
 */
class InMemoryTasksTests {

	private static final Duration BACKOFF = Duration.ofSeconds(10);

	private final MutableClock clock = MutableClock.atEpochDay();

	private final Handlers handlers = new Handlers();

	private final InMemoryTaskStore store;

	private final TaskClient client;

	private final InMemoryTasks tasks;

	private final TaskInspector inspector;

	InMemoryTasksTests() {
		TaskRecorder recorder = new TaskRecorder(100);
		this.store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(1), 100, Duration.ofDays(7), recorder);
		this.inspector = this.store.inspector();
		TaskHandlerRegistry registry = new TaskHandlerRegistry();
		for (Method method : Handlers.class.getDeclaredMethods()) {
			TaskHandler annotation = method.getAnnotation(TaskHandler.class);
			if (annotation != null) {
				registry.register(TaskHandlerMethod.of(this.handlers, method, annotation));
			}
		}
		TaskDefaults defaults = new TaskDefaults("default", 2, Duration.ofMinutes(1),
				new Backoff(Backoff.Strategy.FIXED, BACKOFF, 1.0, BACKOFF, 0.0), List.of());
		TaskSettingsResolver settings = new TaskSettingsResolver(defaults, Map.of(), registry);
		PayloadCodec codec = new PayloadCodec(JsonMapper.builder().build());
		TaskEventListener noEvents = new TaskEventListener() {
		};
		TaskExecutor executor = new TaskExecutor(registry, settings, codec, List.of(), new ActiveTasks(), noEvents,
				this.clock);
		this.client = new DefaultTaskClient(this.store, settings, codec, noEvents, 1_000_000, this.clock);
		this.tasks = new InMemoryTasks(this.store, recorder, () -> executor, codec);
	}

	@Test
	void enqueuedListsEveryEnqueuedTaskOldestFirst() {
		TaskInfo ada = this.client.enqueue(welcome("ada@example.com"));
		TaskInfo sum = this.client.enqueue(Task.of("math:sum", Map.of("a", 2, "b", 3)));
		TaskInfo bob = this.client.enqueue(welcome("bob@example.com").processIn(Duration.ofHours(1)));
		assertThat(this.tasks.enqueued()).extracting(TaskMessage::id).containsExactly(ada.id(), sum.id(), bob.id());
		assertThat(this.tasks.enqueued()).extracting(TaskMessage::type)
			.containsExactly("email:welcome", "math:sum", "email:welcome");
	}

	@Test
	void enqueuedOfATypeListsOnlyThatTypesTasks() {
		TaskInfo ada = this.client.enqueue(welcome("ada@example.com"));
		this.client.enqueue(Task.of("math:sum", Map.of("a", 2, "b", 3)));
		TaskInfo bob = this.client.enqueue(welcome("bob@example.com"));
		assertThat(this.tasks.enqueued("email:welcome")).extracting(TaskMessage::id).containsExactly(ada.id(), bob.id());
		assertThat(this.tasks.enqueued("email:unknown")).isEmpty();
	}

	@Test
	void payloadsReadsTheTypesPayloadsAsTheGivenClass() {
		this.client.enqueue(welcome("ada@example.com"));
		this.client.enqueue(Task.of("math:sum", Map.of("a", 2, "b", 3)));
		this.client.enqueue(welcome("bob@example.com"));
		assertThat(this.tasks.payloads("email:welcome", Welcome.class))
			.containsExactly(new Welcome("ada@example.com"), new Welcome("bob@example.com"));
	}

	@Test
	void clearForgetsWhatWasEnqueuedButLeavesTheTasksQueued() {
		this.client.enqueue(welcome("ada@example.com"));
		this.client.enqueue(welcome("bob@example.com"));
		this.tasks.clear();
		assertThat(this.tasks.enqueued()).isEmpty();
		assertThat(this.inspector.queue("default").size(TaskState.PENDING)).isEqualTo(2);
		TaskInfo carol = this.client.enqueue(welcome("carol@example.com"));
		assertThat(this.tasks.enqueued()).extracting(TaskMessage::id).containsExactly(carol.id());
		assertThat(this.tasks.runPending()).isEqualTo(3);
	}

	@Test
	void runPendingRunsEveryDueTaskOnTheCallingThread() {
		this.client.enqueue(welcome("ada@example.com"));
		this.client.enqueue(welcome("bob@example.com").queue("other"));
		TaskInfo sum = this.client.enqueue(Task.of("math:sum", Map.of("a", 2, "b", 3)).retention(Duration.ofHours(1)));
		assertThat(this.tasks.runPending()).isEqualTo(3);
		assertThat(this.handlers.welcomed).containsExactlyInAnyOrder("ada@example.com", "bob@example.com");
		assertThat(this.handlers.threads).hasSize(3).containsOnly(Thread.currentThread());
		assertThat(this.inspector.task("default", sum.id())).get()
			.extracting(TaskDetail::state, TaskDetail::result)
			.containsExactly(TaskState.COMPLETED, "5");
		assertThat(this.inspector.queue("default").backlog()).isZero();
		assertThat(this.inspector.queue("other").backlog()).isZero();
		assertThat(this.tasks.runPending()).isZero();
	}

	@Test
	void runPendingRunsAScheduledTaskOnlyOnceItIsDue() {
		this.client.enqueue(welcome("ada@example.com").processIn(Duration.ofMinutes(10)));
		assertThat(this.tasks.runPending()).isZero();
		assertThat(this.handlers.welcomed).isEmpty();
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(this.tasks.runPending()).isEqualTo(1);
		assertThat(this.handlers.welcomed).containsExactly("ada@example.com");
	}

	@Test
	void runPendingRunsAFailingTaskOnceAndItsRetryOnlyOnceDue() {
		TaskInfo flaky = this.client.enqueue(Task.of("flaky", "x"));
		assertThat(this.tasks.runPending()).isEqualTo(1);
		TaskDetail detail = this.inspector.task("default", flaky.id()).orElseThrow();
		assertThat(detail.state()).isEqualTo(TaskState.RETRY);
		assertThat(detail.retried()).isEqualTo(1);
		assertThat(detail.nextProcessAt()).isEqualTo(this.clock.instant().plus(BACKOFF));
		this.clock.advance(BACKOFF);
		assertThat(this.tasks.runPending()).isEqualTo(1);
		assertThat(this.handlers.flakyAttempts).hasValue(2);
	}

	@Test
	void runPendingSkipsPausedQueues() {
		this.client.enqueue(welcome("ada@example.com"));
		this.inspector.pauseQueue("default");
		assertThat(this.tasks.runPending()).isZero();
		assertThat(this.handlers.welcomed).isEmpty();
		this.inspector.resumeQueue("default");
		assertThat(this.tasks.runPending()).isEqualTo(1);
	}

	@Test
	void runAllAlsoRunsScheduledTasksNotYetDue() {
		this.client.enqueue(welcome("ada@example.com").processIn(Duration.ofDays(1)));
		this.client.enqueue(welcome("bob@example.com"));
		assertThat(this.tasks.runAll()).isEqualTo(2);
		assertThat(this.handlers.welcomed).containsExactly("bob@example.com", "ada@example.com");
		assertThat(this.handlers.threads).containsOnly(Thread.currentThread());
	}

	@Test
	void runAllRetriesAFailingTaskUntilItIsArchived() {
		TaskInfo flaky = this.client.enqueue(Task.of("flaky", "x"));
		assertThat(this.tasks.runAll()).isEqualTo(3);
		assertThat(this.handlers.flakyAttempts).hasValue(3);
		TaskDetail detail = this.inspector.task("default", flaky.id()).orElseThrow();
		assertThat(detail.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(detail.retried()).isEqualTo(3);
		assertThat(detail.lastError()).contains("always fails");
		assertThat(this.tasks.runAll()).isZero();
	}

	private static Task welcome(String email) {
		return Task.of("email:welcome", new Welcome(email));
	}

	record Welcome(String email) {
	}

	static class Handlers {

		final List<String> welcomed = new CopyOnWriteArrayList<>();

		final List<Thread> threads = new CopyOnWriteArrayList<>();

		final AtomicInteger flakyAttempts = new AtomicInteger();

		@TaskHandler("email:welcome")
		void welcome(Welcome welcome) {
			this.threads.add(Thread.currentThread());
			this.welcomed.add(welcome.email());
		}

		@TaskHandler("math:sum")
		int sum(Map<String, Integer> numbers) {
			this.threads.add(Thread.currentThread());
			return numbers.get("a") + numbers.get("b");
		}

		@TaskHandler("flaky")
		void flaky(String payload) {
			this.flakyAttempts.incrementAndGet();
			throw new IllegalStateException("always fails");
		}

	}

}
