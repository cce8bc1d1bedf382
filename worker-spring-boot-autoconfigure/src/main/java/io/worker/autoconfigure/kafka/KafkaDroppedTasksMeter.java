package io.worker.autoconfigure.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.worker.backend.kafka.KafkaTaskBroker;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Counts in {@code worker.tasks.dropped} (tags {@code queue}, {@code reason=too-large}) the tasks
 * the Kafka backend dropped because Kafka refused them as too large for their archive topic even
 * truncated ({@link KafkaTaskBroker#onDropped}).
 */
final class KafkaDroppedTasksMeter implements MeterBinder {

	private final ObjectProvider<KafkaTaskBroker> broker;

	KafkaDroppedTasksMeter(ObjectProvider<KafkaTaskBroker> broker) {
		this.broker = broker;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.broker.ifAvailable((broker) -> broker.onDropped((queue) -> registry
			.counter("worker.tasks.dropped", "queue", queue, "reason", "too-large")
			.increment()));
	}

}
