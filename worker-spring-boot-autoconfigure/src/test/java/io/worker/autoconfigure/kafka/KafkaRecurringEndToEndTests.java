package io.worker.autoconfigure.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.worker.TaskContext;
import io.worker.TaskHandler;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.scheduler.WorkerSchedulerAutoConfiguration;
import io.worker.spi.ScheduleStore;
import io.worker.testsupport.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole starter on Kafka with three application contexts sharing one broker, in real time: a
 * schedule declared in properties ticking every second fires each tick once across the three
 * schedulers, and ticks go on without a gap when one of them stops. Topics of the test's own prefix, deleted after.
 */
class KafkaRecurringEndToEndTests {

	private static final Duration AWAIT = Duration.ofSeconds(60);

	/** Every tick id handled, by any context, once per run (a duplicate shows twice). */
	private static final Queue<String> handled = new ConcurrentLinkedQueue<>();

	private final String prefix = "sched-e2e-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, KafkaAutoConfiguration.class,
				WorkerKafkaBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerSchedulerAutoConfiguration.class))
		.withBean(Ticks.class)
		.withPropertyValues("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
				"worker.backend=kafka", "worker.kafka.prefix=" + this.prefix, "worker.kafka.group-id=" + this.prefix,
				"worker.kafka.partitions=1", "worker.scheduler.interval=200ms",
				"worker.scheduler.schedules.heartbeat.cron=* * * * * *",
				"worker.scheduler.schedules.heartbeat.task=e2e:tick");

	@AfterEach
	void deleteTopics() throws Exception {
		handled.clear();
		TestKafka.deleteTopics(this.prefix);
	}

	@Test
	void threeContextsFireEachTickOnceAndGoOnWhenOneStops() {
		// one context runs the handlers, so that a redelivery in a rebalance cannot look like a duplicate tick
		ApplicationContextRunner schedulerOnly = this.runner.withPropertyValues("worker.server.enabled=false");
		this.runner.run((first) -> schedulerOnly.run((second) -> {
			schedulerOnly.run((third) -> {
				long start = awaitFirstTick();
				awaitTicks(start, 10);
			});
			// the third context has stopped; the two left go on from its last tick
			long resumed = latestTick();
			awaitTicks(resumed, 5);
			List<Long> ticks = handledTicks();
			assertThat(ticks).doesNotHaveDuplicates();
			long earliest = ticks.stream().mapToLong(Long::longValue).min().orElseThrow();
			assertThat(Set.copyOf(ticks)).containsAll(range(earliest, resumed + 5));
		}));
	}

	private static long awaitFirstTick() {
		await().atMost(AWAIT).until(() -> !handled.isEmpty());
		return handledTicks().stream().mapToLong(Long::longValue).min().orElseThrow();
	}

	private static long latestTick() {
		return handledTicks().stream().mapToLong(Long::longValue).max().orElseThrow();
	}

	/** Wait until every tick from {@code start} to {@code start + count - 1} was handled. */
	private static void awaitTicks(long start, int count) {
		await().atMost(AWAIT).until(() -> Set.copyOf(handledTicks()).containsAll(range(start, start + count)));
	}

	private static List<Long> range(long from, long toExclusive) {
		return LongStream.range(from, toExclusive).boxed().toList();
	}

	/** The epoch second of each handled tick of {@code heartbeat:<epoch second>}, in handling order. */
	private static List<Long> handledTicks() {
		return handled.stream()
			.map((id) -> Long.parseLong(id.substring(id.lastIndexOf(':') + 1)))
			.collect(Collectors.toList());
	}

	static class Ticks {

		@TaskHandler("e2e:tick")
		void tick(TaskContext context) {
			handled.add(context.headers().get(ScheduleStore.TICK_HEADER));
		}

	}

}
