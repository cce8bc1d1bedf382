package io.worker.backend.redis;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.worker.QueueInfo;
import io.worker.Task;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker server in another JVM killed with SIGKILL mid-task: once the leases of its tasks expire
 * a second server finishes them, and none of 1,000 tasks is lost. Delivery is at least once, so
 * tasks are counted by distinct id; the tasks held at the kill run twice.
 */
class RedisCrashTests {

	private static final Logger logger = LoggerFactory.getLogger(RedisCrashTests.class);

	private static final int TASKS = 1000;

	private static final int CONCURRENCY = 4;

	private static final int BLOCK_AFTER = 300;

	private static LettuceConnectionFactory factory;

	private static RedisScripts redis;

	private final String namespace = RedisTestSupport.namespace();

	private final String queue = RedisTestSupport.queue();

	@TempDir
	Path dir;

	@BeforeAll
	static void connect() {
		factory = TestRedis.connect();
		redis = new RedisScripts(factory);
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@Test
	void tasksOfAWorkerKilledMidTaskAreFinishedByAnotherAndNoneIsLost() throws Exception {
		RedisWorker survivor = new RedisWorker(factory, this.namespace, this.queue, CONCURRENCY,
				new RedisCrashChild.Handlers(factory, this.namespace, Integer.MAX_VALUE));
		try {
			TaskInspector inspector = survivor.store.inspector();
			List<Task> tasks = new ArrayList<>();
			for (int i = 0; i < TASKS; i++) {
				tasks.add(Task.of(RedisCrashChild.TYPE, "t" + i).id("t" + i));
			}
			survivor.client.enqueueAll(tasks);

			Process child = startChild();
			try {
				await().atMost(Duration.ofMinutes(2)).until(() -> blocked() == CONCURRENCY);
			}
			finally {
				child.destroyForcibly();
			}
			assertThat(child.waitFor()).isEqualTo(137);
			assertThat(completed()).hasSizeGreaterThanOrEqualTo(BLOCK_AFTER);
			List<String> heldAtKill = inspector.tasks(this.queue, TaskState.ACTIVE, 0, 100)
				.stream()
				.map(TaskDetail::id)
				.toList();
			assertThat(heldAtKill).hasSize(CONCURRENCY);

			survivor.start();
			await().atMost(Duration.ofMinutes(2))
				.until(() -> completed().size() == TASKS && inspector.queue(this.queue).backlog() == 0);
			assertThat(completed()).containsExactlyInAnyOrderElementsOf(tasks.stream().map(Task::id).toList());
			QueueInfo info = inspector.queue(this.queue);
			for (TaskState state : List.of(TaskState.PENDING, TaskState.SCHEDULED, TaskState.ACTIVE, TaskState.RETRY,
					TaskState.ARCHIVED)) {
				assertThat(info.size(state)).as("%s tasks", state).isZero();
			}
			Set<String> ranTwice = ranTwice();
			logger.info("{} distinct tasks completed; {} ran twice: {} (held at the kill: {})", TASKS, ranTwice.size(),
					ranTwice, heldAtKill);
			assertThat(ranTwice).containsAll(heldAtKill);
		}
		finally {
			survivor.close();
			RedisTestSupport.deleteKeys(factory, this.namespace);
		}
	}

	private long blocked() {
		byte[] value = redis.execute((connection) -> connection.stringCommands()
			.get(RedisTaskCodec.bytes(RedisCrashChild.Handlers.blockedKey(this.namespace))));
		return (value != null) ? Long.parseLong(RedisTaskCodec.text(value)) : 0;
	}

	private Set<String> completed() {
		Set<byte[]> members = redis.execute((connection) -> connection.setCommands()
			.sMembers(RedisTaskCodec.bytes(RedisCrashChild.Handlers.completedKey(this.namespace))));
		return members.stream().map(RedisTaskCodec::text).collect(Collectors.toSet());
	}

	private Set<String> ranTwice() {
		Map<byte[], byte[]> runs = redis.execute((connection) -> connection.hashCommands()
			.hGetAll(RedisTaskCodec.bytes(RedisCrashChild.Handlers.runsKey(this.namespace))));
		return runs.entrySet()
			.stream()
			.filter((entry) -> Long.parseLong(RedisTaskCodec.text(entry.getValue())) > 1)
			.map((entry) -> RedisTaskCodec.text(entry.getKey()))
			.collect(Collectors.toSet());
	}

	private Process startChild() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RedisCrashChild.class.getName(),
				TestRedis.address().host(), Integer.toString(TestRedis.address().port()), this.namespace, this.queue,
				Integer.toString(BLOCK_AFTER), Integer.toString(CONCURRENCY))
			.redirectErrorStream(true)
			.redirectOutput(new File(this.dir.toFile(), "child.log"))
			.start();
	}

}
