package io.worker.metrics;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.TaskRecorder;
import io.worker.runtime.QueueInfoCache;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.LimitedBackend;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gauges are registered only for the states a backend knows.
 */
class QueueSizeGaugesTests {

	private final MutableClock clock = MutableClock.atEpochDay();

	private final InMemoryTaskStore store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 100,
			Duration.ofDays(1), new TaskRecorder(100));

	private final QueueInfoCache cache = new QueueInfoCache(LimitedBackend.bare(this.store).inspector(),
			Duration.ofSeconds(10), this.clock);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final QueueSizeGauges gauges = new QueueSizeGauges(this.cache);

	@Test
	void reportedQueueHasAGaugePerKnownStateOnly() {
		enqueue("default");
		this.gauges.bindTo(this.registry);
		assertThat(states("default")).containsExactlyInAnyOrder("pending", "archived");
		assertThat(this.registry.get("worker.queue.size").tag("queue", "default").tag("state", "pending").gauge()
			.value()).isEqualTo(1);
		// a queue used later gets the states the backend knows
		this.gauges.enqueued(new TaskInfo("t", "test", "low", TaskState.PENDING, null));
		assertThat(states("low")).containsExactlyInAnyOrder("pending", "archived");
	}

	@Test
	void queueUsedBeforeAnyReportLosesTheGaugesOfUnknownStatesAtItsFirstReport() {
		this.gauges.bindTo(this.registry);
		this.gauges.enqueued(new TaskInfo("t", "test", "default", TaskState.PENDING, null));
		assertThat(states("default")).hasSize(TaskState.values().length - 1);
		enqueue("default");
		this.clock.advance(Duration.ofSeconds(10));
		this.cache.queues();
		assertThat(states("default")).containsExactlyInAnyOrder("pending", "archived");
	}

	private List<String> states(String queue) {
		return this.registry.find("worker.queue.size")
			.tag("queue", queue)
			.gauges()
			.stream()
			.map((Gauge gauge) -> gauge.getId().getTag("state"))
			.toList();
	}

	private void enqueue(String queue) {
		TaskMessage message = TaskMessage.builder("t-" + System.nanoTime(), "test", queue)
			.enqueuedAt(this.clock.instant())
			.build();
		this.store.enqueue(List.of(new EnqueueRequest(message, null)));
	}

}
