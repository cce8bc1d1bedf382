package io.worker.backend.memory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.worker.ScheduleFire;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.runtime.RecurringTasksContractTests;
import io.worker.spi.Capability;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.ScheduleStore;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.LimitedBackend;

/**
 * The recurring task contract on what a broker gives the scheduler, faked over the memory store:
 * no listing, no lookup by id, no enforced ids, and a schedule store that records each fire before
 * its task is enqueued. Proves the scheduler's broker path and the suite's hooks before a real
 * broker's store is built on them.
 */
class BrokerLikeRecurringTasksTests extends RecurringTasksContractTests {

	private final InMemoryTaskStore store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 100,
			Duration.ofDays(1), new TaskRecorder(10));

	private final LimitedBackend limited = new LimitedBackend(this.store, Set.of(Capability.DELAYED),
			EnumSet.of(TaskState.PENDING, TaskState.ARCHIVED));

	private final RecordingFirst schedules = new RecordingFirst(this.store.scheduleStore());

	private final List<FiredTask> received = new CopyOnWriteArrayList<>();

	@Override
	protected TaskBackend backend() {
		return new TaskBackend() {

			@Override
			public String name() {
				return "broker-like";
			}

			@Override
			public Set<Capability> capabilities() {
				return BrokerLikeRecurringTasksTests.this.limited.capabilities();
			}

			@Override
			public List<EnqueueResult> enqueue(List<EnqueueRequest> requests) {
				requests.forEach((request) -> BrokerLikeRecurringTasksTests.this.received
					.add(FiredTask.of(request.message().id(), request.message().headers(),
							new String(request.message().payload(), StandardCharsets.UTF_8))));
				return BrokerLikeRecurringTasksTests.this.limited.enqueue(requests);
			}

			@Override
			public TaskInspector inspector() {
				return BrokerLikeRecurringTasksTests.this.limited.inspector();
			}

			@Override
			public void onCancel(Consumer<String> listener) {
			}

			@Override
			public void ping() {
			}

			@Override
			public ScheduleStore scheduleStore() {
				return BrokerLikeRecurringTasksTests.this.schedules;
			}

		};
	}

	@Override
	protected List<FiredTask> fired() {
		return List.copyOf(this.received);
	}

	/** The memory store's schedules, recording first and claiming only ticks after the last recorded. */
	private record RecordingFirst(ScheduleStore delegate) implements ScheduleStore {

		@Override
		public boolean recordsBeforeEnqueue() {
			return true;
		}

		@Override
		public boolean claimTick(String name, Instant tick, Duration ttl) {
			Instant last = this.delegate.get(name).map(StoredSchedule::lastTick).orElse(null);
			return (last == null || tick.isAfter(last)) && this.delegate.claimTick(name, tick, ttl);
		}

		@Override
		public void save(String name, Map<String, String> definition) {
			this.delegate.save(name, definition);
		}

		@Override
		public boolean remove(String name) {
			return this.delegate.remove(name);
		}

		@Override
		public Optional<StoredSchedule> get(String name) {
			return this.delegate.get(name);
		}

		@Override
		public List<StoredSchedule> list() {
			return this.delegate.list();
		}

		@Override
		public void advance(String name, Instant tick) {
			this.delegate.advance(name, tick);
		}

		@Override
		public void recordFire(String name, ScheduleFire fire, boolean manual, int historySize) {
			this.delegate.recordFire(name, fire, manual, historySize);
		}

	}

}
