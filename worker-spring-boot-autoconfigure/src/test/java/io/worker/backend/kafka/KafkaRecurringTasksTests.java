package io.worker.backend.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.worker.Cron;
import io.worker.Schedule;
import io.worker.runtime.RecurringTasksContractTests;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recurring task contract on Kafka, against a real KRaft broker: each instance has its own
 * {@link KafkaTaskBroker} (its own producer, admin client and log reader) on one topic prefix, as
 * separate processes would, and the instances share the test's clock. What fired is read back from
 * the queue's topic. The topics of the test's prefix are deleted after it.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaRecurringTasksTests extends RecurringTasksContractTests {

	private final String prefix = "sched-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<KafkaTaskBroker> brokers = new ArrayList<>();

	@Override
	protected TaskBackend backend() {
		KafkaTaskBroker broker = new KafkaTaskBroker(KafkaTestSettings.settings(this.prefix, 1, Map.of()), this.clock);
		this.brokers.add(broker);
		return broker;
	}

	/** Every record of the queue's topic, read from its start to its end (an enqueue returned once acknowledged). */
	@Override
	protected List<FiredTask> fired() {
		String topic = this.prefix + "." + this.queue;
		Map<String, Object> config = new HashMap<>(TestKafka.clientProperties());
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		List<FiredTask> fired = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			if (!consumer.listTopics().containsKey(topic)) {
				return fired;
			}
			TopicPartition partition = new TopicPartition(topic, 0);
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(List.of(partition)).get(partition);
			while (consumer.position(partition) < end) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					TaskMessage message = KafkaRecordCodec.read(KafkaRecordCodec.fromRecordHeaders(record.headers()),
							record.value());
					fired.add(FiredTask.of(message.id(), message.headers(),
							new String(message.payload(), StandardCharsets.UTF_8)));
				}
			}
		}
		return fired;
	}

	@Test
	void anInstanceWhoseClientsAreClosedIsTakenOverWithoutADuplicateOrAMissedTick() {
		tasks(0).upsert(everyMinute());
		List<String> expected = new ArrayList<>();
		for (int tick = 1; tick <= 6; tick++) {
			this.clock.advance(Duration.ofMinutes(1));
			expected.add("report:" + this.clock.instant().getEpochSecond());
			if (tick == 4) {
				// instance 0 is gone as a stopped process is: its producer and its log reader are closed
				this.brokers.remove(0).close();
			}
			for (int i = (tick < 4) ? 0 : 1; i < 3; i++) {
				scheduler(i).runOnce();
			}
		}
		assertThat(fired()).extracting(FiredTask::tickId).containsExactlyElementsOf(expected);
	}

	@Test
	void unreadableRecordsInTheSchedulesTopicAreSkippedWithAnErrorAndTicksGoOn(CapturedOutput output) {
		tasks(0).upsert(everyMinute());
		Map<String, Object> config = new HashMap<>(TestKafka.clientProperties());
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
				new ByteArraySerializer())) {
			String topic = this.prefix + ".schedules";
			producer.send(new ProducerRecord<>(topic, "not a record".getBytes(StandardCharsets.UTF_8)));
			producer.send(new ProducerRecord<>(topic, new byte[] { (byte) 0xff, 0, 1 }));
			producer.send(new ProducerRecord<>(topic, null));
			producer.flush();
		}
		for (int tick = 1; tick <= 3; tick++) {
			this.clock.advance(Duration.ofMinutes(1));
			for (int i = 0; i < 3; i++) {
				scheduler(i).runOnce();
			}
		}
		assertThat(fired()).hasSize(3);
		assertThat(tasks(2).list()).extracting((info) -> info.schedule().name()).containsExactly("report");
		assertThat(output).contains("ERROR").contains("unreadable record")
			.contains("Skipped a record without a value at offset")
			.contains("of the Kafka schedules topic '" + this.prefix + ".schedules'");
	}

	private Schedule everyMinute() {
		return Schedule.builder("report").cron(Cron.everyMinute()).task("report:build").queue(this.queue).build();
	}

	@AfterEach
	void deleteTopics() {
		try {
			this.brokers.get(0).deleteTopics(List.of(this.queue));
		}
		finally {
			this.brokers.forEach(KafkaTaskBroker::close);
		}
	}

}
