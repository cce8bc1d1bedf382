package io.worker.bench;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The harness counts right: at the end of a drain through each subject, every task id ran exactly
 * once. Correctness only; speed is not asserted. The Redis subjects need a Redis on
 * {@code 127.0.0.1:6379} and the RabbitMQ ones a RabbitMQ on {@code 127.0.0.1:5672} (guest/guest,
 * with {@code rabbitmqctl} on the path), and fail without them; the Kafka ones run on a real
 * KRaft broker started in the test JVM.
 */
class DrainCorrectnessTests {

	private static final int TASKS = 2_000;

	private static final String REDIS = "redis://127.0.0.1:6379";

	private static final String RABBITMQ = "amqp://guest:guest@127.0.0.1:5672";

	private static EmbeddedKafkaKraftBroker kafkaBroker;

	@BeforeAll
	static void startKafka() {
		kafkaBroker = new EmbeddedKafkaKraftBroker(1, 1);
		kafkaBroker.brokerProperties(Map.of("group.initial.rebalance.delay.ms", "0"));
		kafkaBroker.afterPropertiesSet();
	}

	@AfterAll
	static void stopKafka() {
		kafkaBroker.destroy();
	}

	@Test
	void workerOnMemoryRunsEachTaskOnce() throws Exception {
		assertEachTaskRanOnce(new WorkerSubject("memory", null).drain(new Spec(TASKS, 10, 0), 0));
	}

	@Test
	void workerOnRedisRunsEachTaskOnce() throws Exception {
		try (BenchRedis redis = new BenchRedis(REDIS)) {
			assertEachTaskRanOnce(new WorkerSubject("redis", redis).drain(new Spec(TASKS, 10, 0), 0));
		}
	}

	@Test
	void threadPoolExecutorWithJacksonRunsEachTaskOnce() throws Exception {
		assertEachTaskRanOnce(new ExecutorBaseline().drain(new Spec(TASKS, 10, 0), 0));
	}

	@Test
	void lettuceReliableQueueRunsEachTaskOnce() throws Exception {
		try (BenchRedis redis = new BenchRedis(REDIS)) {
			assertEachTaskRanOnce(new LettuceBaseline(redis).drain(new Spec(TASKS, 10, 0), 1024));
		}
	}

	@Test
	void workerOnRabbitMqRunsEachTaskOnce() throws Exception {
		try (BenchRabbit rabbit = new BenchRabbit(RABBITMQ)) {
			assertEachTaskRanOnce(new WorkerSubject("rabbitmq", null, rabbit, null).drain(new Spec(TASKS, 10, 0), 0));
		}
	}

	@Test
	void springAmqpBaselineRunsEachTaskOnce() throws Exception {
		try (BenchRabbit rabbit = new BenchRabbit(RABBITMQ)) {
			assertEachTaskRanOnce(new RabbitBaseline(rabbit).drain(new Spec(TASKS, 10, 0), 1024));
		}
	}

	@Test
	void workerOnKafkaRunsEachTaskOnce() throws Exception {
		try (BenchKafka kafka = kafka()) {
			assertEachTaskRanOnce(new WorkerSubject("kafka", null, null, kafka).drain(new Spec(TASKS, 10, 0), 0));
		}
	}

	@Test
	void kafkaBaselineRunsEachTaskOnce() throws Exception {
		try (BenchKafka kafka = kafka()) {
			assertEachTaskRanOnce(new KafkaBaseline(kafka).drain(new Spec(TASKS, 10, 0), 1024));
		}
	}

	private static BenchKafka kafka() {
		return new BenchKafka(kafkaBroker.getBrokersAsString());
	}

	@Test
	void trackerCountsARepeatedRunAsADuplicate() {
		CompletionTracker tracker = new CompletionTracker(2);
		tracker.record(0, System.nanoTime());
		tracker.record(0, System.nanoTime());
		assertThat(tracker.distinct()).isEqualTo(1);
		assertThat(tracker.duplicates()).isEqualTo(1);
		assertThatIllegalStateException().isThrownBy(() -> tracker.await(Duration.ZERO))
			.withMessageContaining("Only 1 of 2 tasks ran");
	}

	private static void assertEachTaskRanOnce(CompletionTracker tracker) {
		assertThat(tracker.distinct()).isEqualTo(TASKS);
		assertThat(tracker.duplicates()).isZero();
		for (int id = 0; id < TASKS; id++) {
			assertThat(tracker.runs(id)).as("runs of task %d", id).isEqualTo(1);
		}
	}

}
