package io.worker;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A state a backend cannot count is unknown, not zero.
 */
class QueueInfoTests {

	@Test
	void stateAbsentFromTheSizesIsUnknownAndCountsAsZero() {
		QueueInfo info = new QueueInfo("q", false, Map.of(TaskState.PENDING, 3L, TaskState.ACTIVE, 2L), 0, 0);
		assertThat(info.knows(TaskState.PENDING)).isTrue();
		assertThat(info.knows(TaskState.SCHEDULED)).isFalse();
		assertThat(info.size(TaskState.SCHEDULED)).isZero();
		assertThat(info.backlog()).isEqualTo(5);
	}

	@Test
	void sizesAreListedInStateOrder() {
		QueueInfo info = new QueueInfo("q", false, Map.of(TaskState.ARCHIVED, 1L, TaskState.PENDING, 3L), 0, 0);
		assertThat(info.sizes().keySet()).containsExactly(TaskState.PENDING, TaskState.ARCHIVED);
	}

}
