package io.worker.autoconfigure.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskContext;
import io.worker.TaskDetail;
import io.worker.TaskEnqueueException;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole starter on the Kafka backend against a real KRaft broker: handlers run by the worker
 * server, offsets committed only after processing, concurrency beyond partitions, a handler longer
 * than {@code max.poll.interval.ms}, ordering keys, retries and the archive. Each test has its own topic prefix
 * and consumer group, deleted after it.
 */
class KafkaWorkerEndToEndTests {

	private static final Duration AWAIT = Duration.ofSeconds(30);

	private final String prefix = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KafkaAutoConfiguration.class,
				WorkerKafkaBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class))
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
				"worker.backend=kafka", "worker.kafka.prefix=" + this.prefix, "worker.kafka.group-id=" + this.prefix,
				"worker.kafka.partitions=3", "worker.defaults.backoff.strategy=fixed",
				"worker.defaults.backoff.initial-delay=1s", "worker.defaults.backoff.jitter=0");

	private final Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()));

	@AfterEach
	void deleteTopics() throws Exception {
		this.admin.close();
		TestKafka.deleteTopics(this.prefix);
	}

	@Test
	void offsetIsCommittedOnlyAfterTheHandlerFinished() {
		this.runner.run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			context.getBean(TaskClient.class).enqueue(Task.of("e2e:block", "one"));
			await().atMost(AWAIT).until(() -> handlers.started.get() == 1);
			await().during(Duration.ofSeconds(1)).atMost(AWAIT).until(() -> uncommitted("default") == 1);
			TaskInspector inspector = context.getBean(TaskInspector.class);
			assertThat(inspector.queue("default").size(TaskState.ACTIVE)).isEqualTo(1);
			handlers.release.countDown();
			await().atMost(AWAIT).until(() -> uncommitted("default") == 0);
			assertThat(handlers.finished.get()).isEqualTo(1);
			assertThat(inspector.queue("default").size(TaskState.ACTIVE)).isZero();
		});
	}

	@Test
	void fiftyTasksRunAtOnceOnAQueueOfThreePartitions() {
		this.runner.withPropertyValues("worker.server.concurrency=50").run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			context.getBean(TaskClient.class)
				.enqueueAll(IntStream.range(0, 50).mapToObj((i) -> Task.of("e2e:block", "task-" + i)).toList());
			await().atMost(AWAIT).until(() -> handlers.started.get() == 50);
			assertThat(handlers.finished.get()).isZero();
			handlers.release.countDown();
			await().atMost(AWAIT).until(() -> handlers.finished.get() == 50 && uncommitted("default") == 0);
			assertThat(handlers.started.get()).isEqualTo(50);
		});
	}

	@Test
	void handlerRunningLongerThanTheMaxPollIntervalCompletesOnceWithoutEviction() {
		this.runner.withPropertyValues("spring.kafka.consumer.properties[max.poll.interval.ms]=2000").run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			context.getBean(TaskClient.class).enqueue(Task.of("e2e:block", "long"));
			await().atMost(AWAIT).until(() -> handlers.started.get() == 1);
			// more than twice max.poll.interval.ms: an evicted consumer's task would be delivered again
			await().during(Duration.ofSeconds(5)).atMost(AWAIT).until(() -> handlers.started.get() == 1);
			handlers.release.countDown();
			await().atMost(AWAIT).until(() -> handlers.finished.get() == 1 && uncommitted("default") == 0);
			await().during(Duration.ofSeconds(1)).atMost(AWAIT).until(() -> handlers.started.get() == 1);
		});
	}

	@Test
	void failedAttemptIsRetriedAfterItsBackoffThroughTheDelayTiers() {
		this.runner.run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			context.getBean(TaskClient.class).enqueue(Task.of("e2e:flaky", "again"));
			await().atMost(AWAIT).until(() -> handlers.attempts.size() == 2);
			assertThat(handlers.attempts.get(1)).isAfterOrEqualTo(handlers.attempts.get(0).plusSeconds(1));
			await().atMost(AWAIT).until(() -> uncommitted("default") == 0);
		});
	}

	@Test
	void taskFailingForGoodIsArchivedWithItsError() {
		this.runner.run((context) -> {
			context.getBean(TaskClient.class).enqueue(Task.of("e2e:fail", "dead").maxRetries(0));
			TaskInspector inspector = context.getBean(TaskInspector.class);
			await().atMost(AWAIT).until(() -> inspector.queue("default").size(TaskState.ARCHIVED) == 1);
			TaskDetail archived = inspector.tasks("default", TaskState.ARCHIVED, 0, 10).get(0);
			assertThat(archived.type()).isEqualTo("e2e:fail");
			assertThat(archived.lastError()).contains("always fails");
			await().atMost(AWAIT).until(() -> uncommitted("default") == 0);
		});
	}

	@Test
	void enqueueToAQueueTheBackendCannotUseIsRefusedWithTheReason() {
		this.runner.run((context) -> {
			TaskClient client = context.getBean(TaskClient.class);
			assertThatThrownBy(() -> client.enqueue(Task.of("e2e:fail", "x").queue("delay.1000ms")))
				.isInstanceOf(TaskEnqueueException.class)
				.hasMessageContaining("cannot use queue 'delay.1000ms'")
				.hasMessageContaining("delay tier");
			assertThatThrownBy(() -> client.enqueue(Task.of("e2e:fail", "x").queue("workers")))
				.isInstanceOf(TaskEnqueueException.class)
				.hasMessageContaining("reserved");
		});
	}

	@Test
	void tasksWithTheSameKeyRunOneAtATimeInOrderWhileOthersRunInParallel() {
		this.runner.withPropertyValues("worker.server.concurrency=20").run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			TaskClient client = context.getBean(TaskClient.class);
			client.enqueueAll(List.of(Task.of("e2e:keyed", "a-1").key("a"), Task.of("e2e:keyed", "a-2").key("a"),
					Task.of("e2e:keyed", "b-1").key("b")));
			client.enqueueAll(IntStream.range(0, 5).mapToObj((i) -> Task.of("e2e:block", "free-" + i)).toList());
			// a-1 and b-1 block on the latch, as do the keyless ones: a-2 must wait behind a-1
			await().atMost(AWAIT).until(() -> handlers.started.get() == 7);
			await().during(Duration.ofSeconds(1)).atMost(AWAIT).until(() -> !handlers.keyed.contains("a-2"));
			assertThat(handlers.keyed).containsExactlyInAnyOrder("a-1", "b-1");
			handlers.release.countDown();
			await().atMost(AWAIT).until(() -> handlers.keyed.size() == 3 && uncommitted("default") == 0);
			assertThat(handlers.keyed.indexOf("a-2")).isGreaterThan(handlers.keyed.indexOf("a-1"));
			assertThat(handlers.overlaps.get()).isZero();
		});
	}

	@Test
	void keyOrderIsKeptUnderConcurrency() {
		this.runner.withPropertyValues("worker.server.concurrency=30").run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			handlers.release.countDown();
			List<Task> tasks = IntStream.range(0, 40)
				.boxed()
				.flatMap((i) -> List.of("x", "y", "z").stream().map((key) -> Task.of("e2e:keyed", key + "-" + i).key(key)))
				.toList();
			context.getBean(TaskClient.class).enqueueAll(tasks);
			await().atMost(AWAIT).until(() -> handlers.keyed.size() == 120 && uncommitted("default") == 0);
			for (String key : List.of("x", "y", "z")) {
				assertThat(handlers.keyed.stream().filter((run) -> run.startsWith(key + "-")).toList())
					.containsExactlyElementsOf(IntStream.range(0, 40).mapToObj((i) -> key + "-" + i).toList());
			}
			assertThat(handlers.overlaps.get()).isZero();
		});
	}

	@Test
	void retriedKeyedTaskComesBackThroughTheDelayTiersBehindLaterTasksOfItsKey() {
		this.runner.run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			handlers.release.countDown();
			context.getBean(TaskClient.class)
				.enqueueAll(List.of(Task.of("e2e:keyed", "k-fails-once").key("k"), Task.of("e2e:keyed", "k-2").key("k")));
			await().atMost(AWAIT).until(() -> handlers.keyed.size() == 3 && uncommitted("default") == 0);
			// the retry is published to a delay tier (with its key, so to the same partition): k-2 runs first
			assertThat(handlers.keyed).containsExactly("k-fails-once", "k-2", "k-fails-once");
		});
	}

	/** The records of a queue's topic that the worker group has not committed. */
	private long uncommitted(String queue) throws Exception {
		String topic = this.prefix + "." + queue;
		TopicDescription description = this.admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
		Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(this.prefix)
			.partitionsToOffsetAndMetadata()
			.get();
		long uncommitted = 0;
		for (var partition : description.partitions()) {
			TopicPartition topicPartition = new TopicPartition(topic, partition.partition());
			long end = this.admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest()))
				.partitionResult(topicPartition)
				.get()
				.offset();
			OffsetAndMetadata commit = committed.get(topicPartition);
			uncommitted += end - ((commit != null) ? commit.offset() : 0);
		}
		return uncommitted;
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger finished = new AtomicInteger();

		final CountDownLatch release = new CountDownLatch(1);

		final List<Instant> attempts = new CopyOnWriteArrayList<>();

		@TaskHandler("e2e:block")
		void block(String payload) throws InterruptedException {
			this.started.incrementAndGet();
			this.release.await();
			this.finished.incrementAndGet();
		}

		final List<String> keyed = new CopyOnWriteArrayList<>();

		final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

		final AtomicInteger overlaps = new AtomicInteger();

		/** Payload {@code <key>-<name>}: counts overlapping runs of a key; the first ones of a and b block. */
		@TaskHandler("e2e:keyed")
		void keyed(String payload, TaskContext context) throws InterruptedException {
			String key = payload.substring(0, payload.indexOf('-'));
			AtomicInteger running = this.running.computeIfAbsent(key, (k) -> new AtomicInteger());
			if (running.incrementAndGet() > 1) {
				this.overlaps.incrementAndGet();
			}
			try {
				this.keyed.add(payload);
				if (payload.equals("a-1") || payload.equals("b-1")) {
					this.started.incrementAndGet();
					this.release.await();
				}
				if (payload.equals("k-fails-once") && context.attempt() == 1) {
					throw new IllegalStateException("first attempt fails");
				}
			}
			finally {
				running.decrementAndGet();
			}
		}

		@TaskHandler("e2e:flaky")
		void flaky(String payload, TaskContext context) {
			this.attempts.add(Instant.now());
			if (context.attempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		}

		@TaskHandler("e2e:fail")
		void fail(String payload) {
			throw new IllegalStateException("always fails");
		}

	}

}
