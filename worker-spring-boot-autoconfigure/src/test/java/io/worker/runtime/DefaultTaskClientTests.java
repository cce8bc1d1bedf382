package io.worker.runtime;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.worker.BatchEnqueueException;
import io.worker.PayloadTooLargeException;
import io.worker.Task;
import io.worker.TaskConflictException;
import io.worker.TaskEnqueueException;
import io.worker.TaskHandler;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.spi.Capability;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.Delivery;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.LimitedBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the client does before a task reaches the backend, and how it reports refusals.
 */
class DefaultTaskClientTests {

	private final RuntimeFixture fixture = new RuntimeFixture();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void taskGoesToTheDefaultQueuePendingNow() {
		TaskInfo info = this.fixture.client().enqueue("anything", Map.of("a", 1));
		assertThat(info.queue()).isEqualTo("default");
		assertThat(info.state()).isEqualTo(TaskState.PENDING);
		assertThat(info.nextProcessAt()).isEqualTo(this.fixture.clock.instant());
	}

	@Test
	void delayedTaskIsScheduledAtItsTime() {
		TaskInfo info = this.fixture.client().enqueue(Task.of("later", "x").processIn(Duration.ofMinutes(5)));
		assertThat(info.state()).isEqualTo(TaskState.SCHEDULED);
		assertThat(info.nextProcessAt()).isEqualTo(this.fixture.clock.instant().plus(Duration.ofMinutes(5)));
	}

	@Test
	void queueComesFromTheTaskThenConfigurationThenAnnotation() {
		this.fixture.handlers(new AnnotatedQueue());
		assertThat(this.fixture.client().enqueue("annotated", "x").queue()).isEqualTo("low");
		this.fixture.options.put("annotated", new TaskTypeOptions(null, "critical", null, null, null));
		assertThat(this.fixture.client().enqueue("annotated", "y").queue()).isEqualTo("critical");
		assertThat(this.fixture.client().enqueue(Task.of("annotated", "z").queue("emails")).queue())
			.isEqualTo("emails");
	}

	@Test
	void oversizedPayloadIsRefusedAndNothingIsStored() {
		DefaultTaskClient client = new DefaultTaskClient(this.fixture.store, this.fixture.settings(),
				this.fixture.codec, new TaskEventListener() {
				}, 100, this.fixture.clock);
		assertThatExceptionOfType(PayloadTooLargeException.class)
			.isThrownBy(() -> client.enqueue("big", "x".repeat(200)))
			.withMessageContaining("worker.client.max-payload-size");
		assertThat(this.fixture.store.inspector().queues()).isEmpty();
	}

	@Test
	void duplicateUniqueTaskIsRefusedUntilTheFirstCompletes() throws Exception {
		this.fixture.handlers(new AnnotatedQueue());
		Task unique = Task.of("export", Map.of("user", 7)).unique(Duration.ofHours(1));
		this.fixture.client().enqueue(unique);
		assertThatExceptionOfType(TaskConflictException.class).isThrownBy(() -> this.fixture.client().enqueue(unique));
		this.fixture.client().enqueue(Task.of("export", Map.of("user", 8)).unique(Duration.ofHours(1)));
		this.fixture.runNext("default");
		this.fixture.client().enqueue(unique);
	}

	@Test
	void duplicateIdIsRefused() {
		this.fixture.client().enqueue(Task.of("a", "x").id("order-1"));
		assertThatExceptionOfType(TaskConflictException.class)
			.isThrownBy(() -> this.fixture.client().enqueue(Task.of("a", "y").id("order-1")))
			.withMessageContaining("order-1");
	}

	@Test
	void batchReportsEachRefusalInPlaceAndStoresTheRest() {
		this.fixture.client().enqueue(Task.of("a", "x").id("taken"));
		List<Task> batch = List.of(Task.of("a", 1), Task.of("a", 2).id("taken"), Task.of("a", 3));
		assertThatExceptionOfType(BatchEnqueueException.class)
			.isThrownBy(() -> this.fixture.client().enqueueAll(batch))
			.satisfies((ex) -> {
				assertThat(ex.results().get(0)).isNotNull();
				assertThat(ex.results().get(1)).isNull();
				assertThat(ex.failures().get(1)).isInstanceOf(TaskConflictException.class);
				assertThat(ex.results().get(2)).isNotNull();
			});
		assertThat(this.fixture.store.inspector().queue("default").size(TaskState.PENDING)).isEqualTo(3);
	}

	@Test
	void disabledTypeIsDiscardedNotStored() {
		this.fixture.options.put("off", new TaskTypeOptions(false, null, null, null, null));
		TaskInfo info = this.fixture.client().enqueue("off", "x");
		assertThat(info.state()).isEqualTo(TaskState.DISCARDED);
		assertThat(this.fixture.store.inspector().queues()).isEmpty();
	}

	@Test
	void optionTheBackendCannotProvideIsRefusedLoudlyNamingTheBackendAndTheCapability() {
		DefaultTaskClient client = new DefaultTaskClient(LimitedBackend.bare(this.fixture.store),
				this.fixture.settings(), this.fixture.codec, new TaskEventListener() {
				}, 1024, this.fixture.clock);
		assertRefused(client, Task.of("a", "x").processIn(Duration.ofMinutes(1)), "delayed tasks", "DELAYED");
		assertRefused(client, Task.of("a", "x").processAt(this.fixture.clock.instant().plusSeconds(60)),
				"delayed tasks", "DELAYED");
		assertRefused(client, Task.of("a", "x").id("order-1"), "explicit task ids", "EXPLICIT_IDS");
		assertRefused(client, Task.of("a", "x").unique(Duration.ofMinutes(1)), "unique tasks", "UNIQUE");
		assertRefused(client, Task.of("a", "x").retention(Duration.ofMinutes(1)), "retention", "RETENTION");
		assertThat(this.fixture.store.inspector().queues()).isEmpty();
		assertThat(client.enqueue(Task.of("a", "x").key("customer-1")).state()).isEqualTo(TaskState.PENDING);
	}

	@Test
	void explicitIdNeedsOnlyExplicitIdsNotUniqueLocks() {
		DefaultTaskClient client = new DefaultTaskClient(
				new LimitedBackend(this.fixture.store, EnumSet.of(Capability.EXPLICIT_IDS), Set.of()),
				this.fixture.settings(), this.fixture.codec, new TaskEventListener() {
				}, 1024, this.fixture.clock);
		assertThat(client.enqueue(Task.of("a", "x").id("order-1")).id()).isEqualTo("order-1");
		assertRefused(client, Task.of("a", "x").unique(Duration.ofMinutes(1)), "unique tasks", "UNIQUE");
	}

	@Test
	void orderingKeyIsStoredAndDeliveredWithTheTask() throws InterruptedException {
		this.fixture.client().enqueue(Task.of("a", "x").key("customer-1"));
		Delivery delivery = this.fixture.store.dequeue(List.of("default"), Duration.ZERO);
		assertThat(delivery).isNotNull();
		assertThat(delivery.message().key()).isEqualTo("customer-1");
	}

	private static void assertRefused(DefaultTaskClient client, Task task, String option, String capability) {
		assertThatExceptionOfType(TaskEnqueueException.class).isThrownBy(() -> client.enqueue(task))
			.withMessageContaining("The fake backend does not support " + option)
			.withMessageContaining("capability " + capability);
	}

	@Test
	void unreachableBackendGivesAClearExceptionNotASilentDrop() {
		DefaultTaskClient client = new DefaultTaskClient(new DownBackend(this.fixture.store), this.fixture.settings(),
				this.fixture.codec, new TaskEventListener() {
				}, 1024, this.fixture.clock);
		assertThatExceptionOfType(TaskEnqueueException.class).isThrownBy(() -> client.enqueue("a", "x"))
			.withMessageContaining("did not take the task")
			.withMessageContaining("connection refused");
	}

	@Test
	void headersOfTheTaskAreStoredWithIt() {
		String id = this.fixture.client().enqueue(Task.of("a", "x").header("tenant", "acme")).id();
		assertThat(this.fixture.task("default", id).headers()).containsEntry("tenant", "acme");
	}

	static class AnnotatedQueue {

		@TaskHandler(type = "annotated", queue = "low")
		void annotated(String payload) {
		}

		@TaskHandler("export")
		void export(Map<String, Integer> payload) {
		}

	}

	/** A backend whose connection is down. */
	private static class DownBackend extends DelegatingBackend {

		DownBackend(TaskBackend delegate) {
			super(delegate);
		}

		@Override
		public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
			throw new IllegalStateException("connection refused");
		}

	}

	private abstract static class DelegatingBackend implements TaskBackend {

		private final TaskBackend delegate;

		DelegatingBackend(TaskBackend delegate) {
			this.delegate = delegate;
		}

		@Override
		public String name() {
			return "test";
		}

		@Override
		public Set<Capability> capabilities() {
			return this.delegate.capabilities();
		}

		@Override
		public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
			return this.delegate.enqueue(requests);
		}

		@Override
		public TaskInspector inspector() {
			return this.delegate.inspector();
		}

		@Override
		public void onCancel(Consumer<String> listener) {
			this.delegate.onCancel(listener);
		}

		@Override
		public void ping() {
		}

	}

}
