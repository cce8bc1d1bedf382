package io.worker.backend.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.worker.TaskDetail;
import io.worker.TaskState;
import io.worker.runtime.ActiveTasks;
import io.worker.runtime.Backoff;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.TaskDefaults;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskExecutor;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskOutcome;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage written straight into Redis, not through Worker, costs exactly its own entry: it is
 * archived with the reason, visible and deletable through the inspector, and holds back no other
 * task and no other queue, in the fetch and in the maintenance scripts.
 */
class RedisGarbageTests extends RedisStoreTestCase {

	private final List<String> malformed = new CopyOnWriteArrayList<>();

	private TaskExecutor executor;

	@BeforeEach
	void createExecutor() {
		TaskHandlerRegistry handlers = new TaskHandlerRegistry();
		TaskDefaults defaults = new TaskDefaults("default", 3, Duration.ofSeconds(30),
				new Backoff(Backoff.Strategy.FIXED, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0), List.of());
		this.executor = new TaskExecutor(handlers, new TaskSettingsResolver(defaults, Map.of(), handlers),
				new PayloadCodec(JsonMapper.builder().build()), List.of(), new ActiveTasks(), new TaskEventListener() {

					@Override
					public void malformed(TaskMessage task, String reason) {
						RedisGarbageTests.this.malformed.add(task.id());
					}

				}, this.clock);
	}

	@Test
	void anIdWithoutATaskHashIsArchivedWithTheReasonAndTheTaskBehindItIsDelivered() throws InterruptedException {
		redis((connection) -> connection.listCommands().rPush(bytes(keys().pending(this.queue)), bytes("ghost")));
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(this.queue, "good"));
		List<Delivery> taken = this.store.dequeue(List.of(this.queue), 2, Duration.ofSeconds(1));
		assertThat(taken).extracting((delivery) -> delivery.message().id()).containsExactly("ghost", "good");
		assertThat(taken.get(0).malformed()).contains("task hash is missing");
		assertThat(taken.get(1).malformed()).isNull();
		assertThat(this.executor.execute(taken.get(0))).isEqualTo(TaskOutcome.ARCHIVED);
		assertThat(this.malformed).containsExactly("ghost");
		TaskDetail ghost = this.store.inspector().task(this.queue, "ghost").orElseThrow();
		assertThat(ghost.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(ghost.lastError()).contains("malformed task").contains("task hash is missing");
		assertThat(this.store.inspector().tasks(this.queue, TaskState.ARCHIVED, 0, 10)).extracting(TaskDetail::id)
			.containsExactly("ghost");
		this.store.inspector().deleteTask(this.queue, "ghost");
		assertThat(this.store.inspector().task(this.queue, "ghost")).isEmpty();
	}

	@Test
	void aTaskHashWithUnparsableFieldsIsArchivedAndTheTaskBehindItIsDelivered() throws InterruptedException {
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(this.queue, "bad"));
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(this.queue, "good"));
		redis((connection) -> connection.hashCommands().hMSet(bytes(keys().task(this.queue, "bad")),
				Map.of(bytes("e"), bytes("yesterday"), bytes("retried"), bytes("many"))));
		assertThat(this.store.inspector().task(this.queue, "bad").orElseThrow().lastError())
			.contains("cannot be read");
		List<Delivery> taken = this.store.dequeue(List.of(this.queue), 2, Duration.ofSeconds(1));
		assertThat(taken).extracting((delivery) -> delivery.message().id()).containsExactly("bad", "good");
		assertThat(taken.get(0).malformed()).contains("cannot be read");
		assertThat(this.executor.execute(taken.get(0))).isEqualTo(TaskOutcome.ARCHIVED);
		assertThat(this.store.inspector().queue(this.queue).size(TaskState.ARCHIVED)).isEqualTo(1);
		assertThat(this.store.inspector().task(this.queue, "bad").orElseThrow().state()).isEqualTo(TaskState.ARCHIVED);
		taken.get(1).complete(null);
		this.store.inspector().deleteTask(this.queue, "bad");
		assertThat(this.store.inspector().queue(this.queue).backlog()).isZero();
	}

	@Test
	void anIdWhoseTaskKeyIsNotAHashIsDroppedAndCountedAndTheTaskBehindItIsDelivered() throws InterruptedException {
		redis((connection) -> {
			connection.stringCommands().set(bytes(keys().task(this.queue, "string")), bytes("not a hash"));
			connection.listCommands().rPush(bytes(keys().pending(this.queue)), bytes("string"));
		});
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(this.queue, "good"));
		List<Delivery> taken = this.store.dequeue(List.of(this.queue), 2, Duration.ofSeconds(1));
		assertThat(taken).extracting((delivery) -> delivery.message().id()).containsExactly("string", "good");
		assertThat(taken.get(0).malformed()).contains("not a hash");
		assertThat(this.executor.execute(taken.get(0))).isEqualTo(TaskOutcome.ABANDONED);
		assertThat(this.malformed).containsExactly("string");
		taken.get(1).complete(null);
		assertThat(this.store.inspector().queue(this.queue).backlog()).isZero();
		assertThat(this.store.dequeue(List.of(this.queue), 2, Duration.ZERO)).isEmpty();
	}

	@Test
	void aQueueWithAKeyOfTheWrongTypeHoldsBackNoOtherQueue() throws InterruptedException {
		String broken = RedisTestSupport.queue();
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(broken, "stuck"));
		redis((connection) -> {
			connection.keyCommands().del(bytes(keys().pending(broken)));
			connection.stringCommands().set(bytes(keys().pending(broken)), bytes("not a list"));
			connection.stringCommands().set(bytes(keys().scheduled(broken)), bytes("not a zset"));
		});
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(this.queue, "good"));
		Instant due = this.clock.instant().plusSeconds(10);
		assertThat(RedisTestSupport.enqueue(this.store, RedisTestSupport.task(this.queue, "later"), due).failure())
			.isNull();
		List<Delivery> taken = this.store.dequeue(List.of(broken, this.queue), 5, Duration.ofSeconds(1));
		assertThat(taken).extracting((delivery) -> delivery.message().id()).containsExactly("good");
		this.clock.set(due);
		assertThat(this.store.forwardDue(this.clock.instant())).isEqualTo(1);
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isZero();
		assertThat(this.store.deleteExpired(this.clock.instant())).isZero();
		assertThat(this.store.dequeue(List.of(broken, this.queue), 5, Duration.ofSeconds(1)))
			.extracting((delivery) -> delivery.message().id())
			.containsExactly("later");
	}

	@Test
	void recoveryArchivesATaskWhoseRetryCountIsNotANumberAndRecoversTheRest() throws InterruptedException {
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(this.queue, "bad"));
		RedisTestSupport.enqueueOk(this.store, RedisTestSupport.task(this.queue, "good"));
		assertThat(this.store.dequeue(List.of(this.queue), 2, Duration.ofSeconds(1))).hasSize(2);
		redis((connection) -> connection.hashCommands().hSet(bytes(keys().task(this.queue, "bad")), bytes("retried"),
				bytes("x")));
		this.clock.advance(LEASE.plusSeconds(1));
		assertThat(this.store.recoverExpiredLeases(this.clock.instant())).isEqualTo(2);
		TaskDetail bad = this.store.inspector().task(this.queue, "bad").orElseThrow();
		assertThat(bad.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(bad.lastError()).contains("retry count is not a number");
		TaskDetail good = this.store.inspector().task(this.queue, "good").orElseThrow();
		assertThat(good.state()).isEqualTo(TaskState.RETRY);
		assertThat(good.retried()).isEqualTo(1);
	}

	private RedisKeys keys() {
		return this.store.keys();
	}

	private static void redis(Consumer<RedisConnection> action) {
		try (RedisConnection connection = factory.getConnection()) {
			action.accept(connection);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
