package io.worker.backend.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.WorkerInfo;
import io.worker.spi.Delivery;
import io.worker.testsupport.MutableClock;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static io.worker.backend.redis.RedisTestSupport.enqueue;
import static io.worker.backend.redis.RedisTestSupport.enqueueOk;
import static io.worker.backend.redis.RedisTestSupport.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The {@link RedisTaskInspector} and the janitor against a real Redis.
 */
class RedisTaskInspectorTests {

	private static LettuceConnectionFactory factory;

	private final String namespace = RedisTestSupport.namespace();

	private final MutableClock clock = new MutableClock(RedisTestSupport.START);

	private final String queue = RedisTestSupport.queue();

	private RedisTaskStore store;

	private TaskInspector inspector;

	@BeforeAll
	static void connect() {
		factory = TestRedis.connect();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@BeforeEach
	void createStore() {
		this.store = new RedisTaskStore(factory, this.namespace, this.clock, Duration.ofSeconds(30), 2,
				Duration.ofDays(7));
		this.inspector = this.store.inspector();
	}

	@AfterEach
	void deleteKeys() {
		this.store.close();
		RedisTestSupport.deleteKeys(factory, this.namespace);
	}

	@Test
	void countsTasksPerStateAndTodaysOutcomes() throws Exception {
		for (String id : List.of("a", "b", "c", "d", "e")) {
			enqueueOk(this.store, task(this.queue, id, null, null, Duration.ofHours(1)));
		}
		enqueue(this.store, task(this.queue, "s"), this.clock.instant().plusSeconds(60));
		take().complete(null);
		Delivery failed = take();
		failed.retry(failed.message().failed("boom", this.clock.instant()), this.clock.instant().plusSeconds(5));
		Delivery dead = take();
		dead.archive(dead.message().failed("dead", this.clock.instant()));
		take();
		QueueInfo info = this.inspector.queue(this.queue);
		assertThat(info.sizes()).containsExactlyInAnyOrderEntriesOf(Map.of(TaskState.PENDING, 1L, TaskState.SCHEDULED,
				1L, TaskState.ACTIVE, 1L, TaskState.RETRY, 1L, TaskState.ARCHIVED, 1L, TaskState.COMPLETED, 1L));
		assertThat(info.processedToday()).isEqualTo(3);
		assertThat(info.failedToday()).isEqualTo(2);
		assertThat(info.paused()).isFalse();
		assertThat(this.inspector.queues()).extracting(QueueInfo::name).containsExactly(this.queue);
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.inspector.queue(this.queue).processedToday()).as("a new day").isZero();
	}

	@Test
	void unknownQueueReportsZeros() {
		QueueInfo info = this.inspector.queue("never-used");
		assertThat(info.backlog()).isZero();
		assertThat(info.sizes()).hasSize(6).allSatisfy((state, size) -> assertThat(size).isZero());
	}

	@Test
	void pagesThroughTasksInEachStatesOrder() {
		for (String id : List.of("a", "b", "c", "d", "e")) {
			enqueueOk(this.store, task(this.queue, id));
		}
		assertThat(ids(TaskState.PENDING, 0, 2)).containsExactly("a", "b");
		assertThat(ids(TaskState.PENDING, 1, 2)).containsExactly("c", "d");
		assertThat(ids(TaskState.PENDING, 2, 2)).containsExactly("e");
		assertThat(ids(TaskState.PENDING, 3, 2)).isEmpty();
		enqueue(this.store, task(this.queue, "late"), this.clock.instant().plusSeconds(20));
		enqueue(this.store, task(this.queue, "soon"), this.clock.instant().plusSeconds(10));
		assertThat(ids(TaskState.SCHEDULED, 0, 10)).containsExactly("soon", "late");
		this.inspector.archiveTask(this.queue, "a");
		this.clock.advance(Duration.ofSeconds(1));
		this.inspector.archiveTask(this.queue, "b");
		assertThat(ids(TaskState.ARCHIVED, 0, 10)).as("newest first").containsExactly("b", "a");
		assertThat(ids(TaskState.DISCARDED, 0, 10)).isEmpty();
	}

	@Test
	void showsATasksDetail() throws Exception {
		enqueueOk(this.store, task(this.queue, "a", 4, null, Duration.ofMinutes(5)));
		Delivery delivery = take();
		delivery.reportProgress(75, "almost");
		TaskDetail active = this.inspector.task(this.queue, "a").orElseThrow();
		assertThat(active.payload()).isEqualTo("{\"id\":\"a\"}");
		assertThat(active.headers()).containsEntry("traceparent", "00-abc-01");
		assertThat(active.maxRetries()).isEqualTo(4);
		assertThat(active.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(active.enqueuedAt()).isEqualTo(RedisTestSupport.START);
		assertThat(active.progress()).isEqualTo(75);
		assertThat(active.progressMessage()).isEqualTo("almost");
		assertThat(active.nextProcessAt()).isNull();
		delivery.complete("42".getBytes());
		TaskDetail completed = this.inspector.task(this.queue, "a").orElseThrow();
		assertThat(completed.state()).isEqualTo(TaskState.COMPLETED);
		assertThat(completed.result()).isEqualTo("42");
		assertThat(this.inspector.task(this.queue, "missing")).isEmpty();
	}

	@Test
	void runsScheduledRetryAndArchivedTasksNow() throws Exception {
		enqueue(this.store, task(this.queue, "s"), this.clock.instant().plusSeconds(60));
		this.inspector.runTask(this.queue, "s");
		assertThat(state("s")).isEqualTo(TaskState.PENDING);
		Delivery delivery = take();
		delivery.retry(delivery.message().failed("boom", this.clock.instant()), this.clock.instant().plusSeconds(60));
		this.inspector.runTask(this.queue, "s");
		assertThat(state("s")).isEqualTo(TaskState.PENDING);
		this.inspector.archiveTask(this.queue, "s");
		this.inspector.runTask(this.queue, "s");
		assertThat(state("s")).isEqualTo(TaskState.PENDING);
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.runTask(this.queue, "s"))
			.withMessageContaining("pending");
		assertThatExceptionOfType(TaskNotFoundException.class)
			.isThrownBy(() -> this.inspector.runTask(this.queue, "missing"));
		assertThat(take().message().id()).isEqualTo("s");
	}

	@Test
	void archivesPendingScheduledAndRetryTasksButNotActiveOnes() throws Exception {
		enqueueOk(this.store, task(this.queue, "p"));
		enqueue(this.store, task(this.queue, "s"), this.clock.instant().plusSeconds(60));
		this.inspector.archiveTask(this.queue, "p");
		this.inspector.archiveTask(this.queue, "s");
		assertThat(ids(TaskState.ARCHIVED, 0, 10)).containsExactlyInAnyOrder("p", "s");
		assertThat(this.inspector.queue(this.queue).backlog()).isZero();
		enqueueOk(this.store, task(this.queue, "r"));
		Delivery delivery = take();
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.archiveTask(this.queue, "r"))
			.withMessageContaining("active");
		delivery.retry(delivery.message().failed("boom", this.clock.instant()), this.clock.instant());
		this.inspector.archiveTask(this.queue, "r");
		assertThat(state("r")).isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void deletesTasksThatAreNotActive() throws Exception {
		enqueueOk(this.store, task(this.queue, "a"));
		Delivery delivery = take();
		assertThatIllegalStateException().isThrownBy(() -> this.inspector.deleteTask(this.queue, "a"));
		delivery.archive(delivery.message().failed("dead", this.clock.instant()));
		this.inspector.deleteTask(this.queue, "a");
		assertThat(this.inspector.task(this.queue, "a")).isEmpty();
		assertThat(this.inspector.queue(this.queue).size(TaskState.ARCHIVED)).isZero();
		assertThatExceptionOfType(TaskNotFoundException.class)
			.isThrownBy(() -> this.inspector.deleteTask(this.queue, "a"));
	}

	@Test
	void janitorKeepsTheArchiveWithinItsCaps() {
		for (String id : List.of("a", "b", "c")) {
			enqueueOk(this.store, task(this.queue, id, null, id, null));
			this.inspector.archiveTask(this.queue, id);
			this.clock.advance(Duration.ofDays(1));
		}
		assertThat(this.store.deleteExpired(this.clock.instant())).as("over the size cap").isEqualTo(1);
		assertThat(ids(TaskState.ARCHIVED, 0, 10)).containsExactly("c", "b");
		enqueueOk(this.store, task(this.queue, "a2", null, "a", null));
		Instant weekLater = this.clock.instant().plus(Duration.ofDays(6));
		assertThat(this.store.deleteExpired(weekLater)).as("past the age cap").isEqualTo(1);
		assertThat(ids(TaskState.ARCHIVED, 0, 10)).containsExactly("c");
	}

	@Test
	void listsLiveWorkers() {
		Instant now = this.clock.instant();
		WorkerInfo shortLived = new WorkerInfo("w1", "host-1", 11, 4, Map.of("default", 1), false, now, 0, now);
		WorkerInfo longLived = new WorkerInfo("w2", "host-2", 22, 8, Map.of("critical", 6, "default", 3), true, now,
				2, now);
		this.store.workerRegistry().heartbeat(shortLived, Duration.ofSeconds(10));
		this.store.workerRegistry().heartbeat(longLived, Duration.ofMinutes(1));
		assertThat(this.inspector.workers()).containsExactlyInAnyOrder(shortLived, longLived);
		this.clock.advance(Duration.ofSeconds(15));
		assertThat(this.inspector.workers()).containsExactly(longLived);
		this.store.workerRegistry().unregister("w2");
		assertThat(this.inspector.workers()).isEmpty();
	}

	private List<String> ids(TaskState state, int page, int size) {
		return this.inspector.tasks(this.queue, state, page, size).stream().map(TaskDetail::id).toList();
	}

	private TaskState state(String id) {
		return this.inspector.task(this.queue, id).orElseThrow().state();
	}

	private Delivery take() throws InterruptedException {
		Delivery delivery = this.store.dequeue(List.of(this.queue), Duration.ZERO);
		assertThat(delivery).isNotNull();
		return delivery;
	}

}
