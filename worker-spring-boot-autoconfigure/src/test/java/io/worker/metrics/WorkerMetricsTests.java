package io.worker.metrics;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.SkipRetryException;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.autoconfigure.metrics.WorkerMetricsAutoConfiguration;
import io.worker.backend.memory.InMemoryTasks;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker's meters after a scripted run on the in-memory backend: two successes, a task that fails
 * once then succeeds, one archived and one discarded.
 */
class WorkerMetricsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, MetricsAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerMetricsAutoConfiguration.class))
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("worker.server.enabled=false", "worker.tasks.off.enabled=false");

	@Test
	void metersCountEachOutcomeOfAScriptedRun() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			MutableClock clock = context.getBean(MutableClock.class);
			List<TaskInfo> enqueued = context.getBean(TaskClient.class)
				.enqueueAll(List.of(Task.of("ok", null), Task.of("ok", null), Task.of("flaky", null),
						Task.of("doomed", null).queue("critical"), Task.of("off", null)));
			clock.advance(Duration.ofSeconds(5));
			context.getBean(InMemoryTasks.class).runAll();
			clock.advance(Duration.ofSeconds(10));

			assertThat(count(registry, "worker.tasks.enqueued", "ok", "default")).isEqualTo(2);
			assertThat(count(registry, "worker.tasks.enqueued", "flaky", "default")).isEqualTo(1);
			assertThat(count(registry, "worker.tasks.enqueued", "doomed", "critical")).isEqualTo(1);
			assertThat(registry.find("worker.tasks.enqueued").tag("task_type", "off").counter()).isNull();

			assertThat(processed(registry)).containsExactlyInAnyOrderEntriesOf(Map.of("ok/default/success", 2.0,
					"flaky/default/success", 1.0, "flaky/default/retried", 1.0, "flaky/default/failed", 1.0,
					"doomed/critical/archived", 1.0, "doomed/critical/failed", 1.0, "off/default/discarded", 1.0));

			assertThat(timerCount(registry, "worker.task.duration", "ok", "default")).isEqualTo(2);
			assertThat(timerCount(registry, "worker.task.duration", "flaky", "default")).isEqualTo(2);
			assertThat(timerCount(registry, "worker.task.duration", "doomed", "critical")).isEqualTo(1);
			assertThat(timerCount(registry, "worker.task.queue.wait", "ok", "default")).isEqualTo(2);
			assertThat(timerCount(registry, "worker.task.queue.wait", "flaky", "default")).isEqualTo(2);
			assertThat(registry.get("worker.task.queue.wait").tag("task_type", "ok").timer().totalTime(
					TimeUnit.SECONDS)).isEqualTo(10.0);

			assertThat(registry.get("worker.tasks.active").tag("queue", "default").gauge().value()).isZero();
			assertThat(registry.get("worker.tasks.active").tag("queue", "critical").gauge().value()).isZero();
			assertThat(queueSize(registry, "critical", "archived")).isEqualTo(1);
			assertThat(queueSize(registry, "default", "archived")).isZero();
			assertThat(queueSize(registry, "default", "pending")).isZero();

			assertBoundedTags(registry, enqueued.stream().map(TaskInfo::id).toList());
		});
	}

	@Test
	void malformedDeliveriesAreCountedByQueueAloneWhateverTheirTypeSays() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			TaskMessage garbage = TaskMessage.builder("id-1", "type-" + System.nanoTime(), "default")
				.payload(new byte[0])
				.enqueuedAt(Instant.EPOCH)
				.build();
			context.getBean(WorkerMetrics.class).malformed(garbage, "its task hash is missing");
			assertThat(registry.get("worker.tasks.malformed").tag("queue", "default").counter().count()).isEqualTo(1);
			assertThat(registry.get("worker.tasks.malformed").counter().getId().getTags()).extracting(Tag::getKey)
				.containsExactly("queue");
		});
	}

	@Test
	void queueSizesAreReadOncePerTimeToLiveWhateverTheScrapeRate() {
		this.runner.withUserConfiguration(CountingInspector.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			MutableClock clock = context.getBean(MutableClock.class);
			TaskClient client = context.getBean(TaskClient.class);
			client.enqueue(Task.of("ok", null));
			clock.advance(Duration.ofSeconds(10));
			assertThat(queueSize(registry, "default", "pending")).isEqualTo(1);
			client.enqueue(Task.of("ok", null));
			// within the time to live: the cached size, however many reads
			assertThat(queueSize(registry, "default", "pending")).isEqualTo(1);
			assertThat(queueSize(registry, "default", "pending")).isEqualTo(1);
			assertThat(context.getBean(CountingInspector.class).queueReads.get()).isEqualTo(2);
			clock.advance(Duration.ofSeconds(10));
			assertThat(queueSize(registry, "default", "pending")).isEqualTo(2);
		});
	}

	private static double count(MeterRegistry registry, String name, String type, String queue) {
		return registry.get(name).tag("task_type", type).tag("queue", queue).counter().count();
	}

	private static long timerCount(MeterRegistry registry, String name, String type, String queue) {
		return registry.get(name).tag("task_type", type).tag("queue", queue).timer().count();
	}

	private static double queueSize(MeterRegistry registry, String queue, String state) {
		return registry.get("worker.queue.size").tag("queue", queue).tag("state", state).gauge().value();
	}

	private static Map<String, Double> processed(MeterRegistry registry) {
		Map<String, Double> counts = new HashMap<>();
		registry.get("worker.tasks.processed").counters().forEach((counter) -> counts.put(
				counter.getId().getTag("task_type") + "/" + counter.getId().getTag("queue") + "/"
						+ counter.getId().getTag("status"), counter.count()));
		return counts;
	}

	private static void assertBoundedTags(MeterRegistry registry, List<String> ids) {
		Map<String, Set<String>> keys = Map.of("worker.tasks.enqueued", Set.of("task_type", "queue"),
				"worker.tasks.processed", Set.of("task_type", "queue", "status"), "worker.task.duration",
				Set.of("task_type", "queue"), "worker.task.queue.wait", Set.of("task_type", "queue"),
				"worker.tasks.active", Set.of("queue"), "worker.queue.size", Set.of("queue", "state"));
		List<Meter> meters = registry.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith("worker."))
			.toList();
		assertThat(meters).extracting((meter) -> meter.getId().getName())
			.containsOnly(keys.keySet().toArray(String[]::new));
		for (Meter meter : meters) {
			List<Tag> tags = meter.getId().getTags();
			assertThat(tags).extracting(Tag::getKey)
				.as(meter.getId().getName())
				.containsExactlyInAnyOrderElementsOf(keys.get(meter.getId().getName()));
			assertThat(tags).extracting(Tag::getValue).doesNotContainAnyElementsOf(ids);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		private final AtomicInteger flakyAttempts = new AtomicInteger();

		@Bean
		MutableClock clock() {
			return MutableClock.atEpochDay();
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@TaskHandler("ok")
		void ok() {
		}

		@TaskHandler("flaky")
		void flaky() {
			if (this.flakyAttempts.incrementAndGet() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		}

		@TaskHandler("doomed")
		void doomed() {
			throw new SkipRetryException("never works");
		}

		@TaskHandler("off")
		void off() {
		}

	}

	/** Counts the reads of queue sizes that reach the backend's inspector. */
	@Configuration(proxyBeanMethods = false)
	static class CountingInspector {

		final AtomicInteger queueReads = new AtomicInteger();

		@Bean
		TaskInspector taskInspector(TaskBackend backend) {
			TaskInspector inspector = backend.inspector();
			return (TaskInspector) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { TaskInspector.class }, (proxy, method, args) -> {
						if (method.getName().equals("queues")) {
							this.queueReads.incrementAndGet();
						}
						return method.invoke(inspector, args);
					});
		}

	}

}
