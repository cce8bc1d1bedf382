package io.worker.backend.kafka;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import io.worker.spi.TaskMessage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Publishes tasks: to their queue topic when due, else through the delay tiers, creating the
 * topics on first use. Enqueue, retry, hand-back, redelivery and re-run all go through it.
 */
final class KafkaPublisher {

	private final KafkaTaskSender sender;

	private final KafkaTopics topics;

	private final KafkaTopicNames names;

	private final DelayTiers tiers;

	private final Clock clock;

	KafkaPublisher(KafkaTaskSender sender, KafkaTopics topics, KafkaTopicNames names, DelayTiers tiers, Clock clock) {
		this.sender = sender;
		this.topics = topics;
		this.names = names;
		this.tiers = tiers;
		this.clock = clock;
	}

	/**
	 * The record of a task.
	 * @param message the task
	 * @param due when it is due, or {@code null} for now
	 * @param deliveryCount the delivery count its next delivery carries
	 */
	ProducerRecord<String, byte[]> record(TaskMessage message, @Nullable Instant due, int deliveryCount) {
		String topic = this.names.queue(message.queue());
		this.topics.ensure(topic, KafkaTopics.Kind.QUEUE);
		Map<String, String> headers = KafkaRecordCodec.headers(message);
		if (deliveryCount > 1) {
			headers.put(TransportHeaders.DELIVERY_COUNT, Integer.toString(deliveryCount));
		}
		Instant now = this.clock.instant();
		ProducerRecord<String, byte[]> record = this.tiers.route(topic, message.key(), headers, message.payload(),
				(due != null) ? due : now, now);
		this.topics.ensure(record.topic(), KafkaTopics.Kind.QUEUE);
		return record;
	}

	/** Publish and wait for the acknowledgement. */
	void publish(TaskMessage message, @Nullable Instant due, int deliveryCount) {
		this.sender.send(record(message, due, deliveryCount));
	}

}
