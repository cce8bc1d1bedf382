package io.worker.backend.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;

import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code enqueueAll} right after the backend created its topics, against a real KRaft broker:
 * the first sends reach partitions whose leader the broker has only just made, which answered
 * {@code NOT_LEADER_OR_FOLLOWER} (and then, for the idempotent producer's later batches,
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}) until the send timeout refused them. None may be refused.
 */
class KafkaFreshTopicEnqueueTests {

	private static final List<String> QUEUES = List.of("fresh-a", "fresh-b", "fresh-c", "fresh-d");

	private final String prefix = "fresh-" + UUID.randomUUID().toString().substring(0, 8);

	private final KafkaTaskBroker broker = new KafkaTaskBroker(KafkaTestSettings.settings(this.prefix, 12, Map.of()),
			Clock.systemUTC());

	@AfterEach
	void deleteTopics() {
		try {
			this.broker.deleteTopics(QUEUES);
		}
		finally {
			this.broker.close();
		}
	}

	@Test
	void enqueueAllOnTopicsJustCreatedRefusesNone() {
		List<EnqueueRequest> requests = IntStream.range(0, 1000)
			.mapToObj((i) -> new EnqueueRequest(message(QUEUES.get(i % QUEUES.size()), i), null))
			.toList();

		List<EnqueueResult> results = this.broker.enqueue(requests);

		List<RuntimeException> refusals = new ArrayList<>(
				results.stream().map(EnqueueResult::failure).filter(Objects::nonNull).toList());
		assertThat(refusals).isEmpty();
		assertThat(results).hasSize(1000).allMatch((result) -> result.info() != null);
	}

	private static TaskMessage message(String queue, int i) {
		return new TaskMessage(UUID.randomUUID().toString(), "test:fresh", queue, Integer.toString(i).getBytes(),
				Map.of(), null, 0, null, null, null, null, null, Instant.now(), null, null, null);
	}

}
