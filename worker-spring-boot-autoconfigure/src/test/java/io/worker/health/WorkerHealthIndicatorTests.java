package io.worker.health;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import io.worker.QueueInfo;
import io.worker.TaskState;
import io.worker.runtime.WorkerStats;
import io.worker.spi.Capability;
import io.worker.spi.TaskBackend;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WorkerHealthIndicator}.
 */
class WorkerHealthIndicatorTests {

	private final TaskBackend backend = mock(TaskBackend.class);

	private final List<QueueInfo> queues = List.of(new QueueInfo("default", false, Map.of(TaskState.PENDING, 3L), 5, 1));

	private final WorkerHealthIndicator indicator = new WorkerHealthIndicator(this.backend, null, new WorkerStats(),
			null, () -> this.queues);

	@Test
	void upWithQueueSizesWhileTheBackendAnswers() {
		given(this.backend.name()).willReturn("redis");
		given(this.backend.capabilities()).willReturn(EnumSet.allOf(Capability.class));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("backend", "redis")
			.containsEntry("server", "disabled")
			.containsEntry("activeTasks", 0)
			.containsEntry("queues", Map.of("default", Map.of("pending", 3L, "processedToday", 5L, "failedToday", 1L)));
	}

	@Test
	void showsOnlyTheStatesAndCountersTheBackendKnows() {
		given(this.backend.name()).willReturn("fake");
		given(this.backend.capabilities()).willReturn(EnumSet.of(Capability.DELAYED));
		List<QueueInfo> queues = List.of(new QueueInfo("default", false,
				Map.of(TaskState.PENDING, 3L, TaskState.ARCHIVED, 2L), 0, 0));
		WorkerHealthIndicator indicator = new WorkerHealthIndicator(this.backend, null, new WorkerStats(), null,
				() -> queues);
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("queues",
				Map.of("default", Map.of("pending", 3L, "archived", 2L)));
	}

	@Test
	void downWithTheErrorWhenTheBackendIsUnreachable() {
		given(this.backend.name()).willReturn("redis");
		willThrow(new IllegalStateException("Connection refused")).given(this.backend).ping();
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("backend", "redis")
			.containsEntry("error", "java.lang.IllegalStateException: Connection refused");
	}

}
