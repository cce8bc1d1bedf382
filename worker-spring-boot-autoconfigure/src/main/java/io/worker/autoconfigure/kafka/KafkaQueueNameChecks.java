package io.worker.autoconfigure.kafka;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.worker.autoconfigure.PropertyChecks;
import io.worker.autoconfigure.WorkerProperties;
import io.worker.backend.kafka.KafkaTopicNames;

/**
 * Refuses at startup, naming the property, a configured queue ({@code worker.queues.<name>},
 * {@code worker.tasks[<type>].queue}) whose topic the Kafka backend cannot use: one of its own
 * topics' names, a name Kafka cannot take, or one that collides in Kafka with another configured
 * queue's ({@code .} and {@code _} are the same in Kafka's metric names, and the broker refuses the
 * second of two such topics).
 */
final class KafkaQueueNameChecks {

	private KafkaQueueNameChecks() {
	}

	static void check(String prefix, WorkerProperties properties) {
		Map<String, String> queues = new LinkedHashMap<>();
		properties.getQueues().keySet().forEach((name) -> queues.put("worker.queues." + name, name));
		properties.getTasks().forEach((type, task) -> {
			if (task.getQueue() != null) {
				queues.put("worker.tasks[" + type + "].queue", task.getQueue());
			}
		});
		KafkaTopicNames names = new KafkaTopicNames(prefix);
		Map<String, String> byCollisionName = new HashMap<>();
		queues.forEach((property, queue) -> {
			String refusal = names.refusal(queue);
			if (refusal != null) {
				throw PropertyChecks.invalid(property, queue, "the kafka backend cannot use this queue: " + refusal);
			}
			String other = byCollisionName.putIfAbsent(KafkaTopicNames.collisionName(queue), queue);
			if (other != null && !other.equals(queue)) {
				throw PropertyChecks.invalid(property, queue, "the kafka backend cannot use this queue: its topic '"
						+ prefix + "." + queue + "' collides with the topic of queue '" + other + "' ('.' and '_' are "
						+ "the same in Kafka's metric names, so Kafka refuses the second topic); rename one of them");
			}
		});
	}

}
