package io.worker.backend.kafka;

import java.util.Map;

/**
 * Which queues are paused, on every instance: a pause is a record keyed by the queue in the
 * compacted control topic ({@code <prefix>.control}), a resume its tombstone. Every instance reads
 * the topic from its start and keeps reading ({@link KafkaStateTopic}), so one starting later is
 * paused too; the queue consumer holds a paused queue's partitions paused, so its tasks stay in
 * Kafka, uncommitted, until the queue is resumed.
 */
final class KafkaPauses implements AutoCloseable {

	private static final String PAUSED = "worker-paused";

	private final KafkaStateTopic control;

	private final KafkaTopicNames names;

	KafkaPauses(KafkaStateTopic control, KafkaTopicNames names) {
		this.control = control;
		this.names = names;
	}

	void pause(String queue) {
		this.names.queue(queue);
		this.control.put(queue, Map.of(PAUSED, "true"));
	}

	void resume(String queue) {
		this.names.queue(queue);
		this.control.remove(queue);
	}

	/** Whether the queue is paused, once the control topic was read up to now. */
	boolean isPaused(String queue) {
		this.control.awaitCaughtUp();
		return knownPaused(queue);
	}

	/** Whether the queue is paused as far as this instance has read, without waiting. */
	boolean knownPaused(String queue) {
		return this.control.known(queue) != null;
	}

	/** Read the control topic up to now, so that a consumer starting next honours every pause. */
	void awaitCaughtUp() {
		this.control.awaitCaughtUp();
	}

	@Override
	public void close() {
		this.control.close();
	}

}
