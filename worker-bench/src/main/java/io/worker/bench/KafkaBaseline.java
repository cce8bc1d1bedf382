package io.worker.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka backend's raw baseline, with kafka-clients alone and Worker's guarantee: a topic with
 * Worker's partition count; a plain {@link KafkaProducer} with {@code acks=all} (idempotent, as
 * Worker's), each enqueue returning once the broker acknowledged (a batch: sent, then awaited
 * together); consumers that commit the offsets of what they polled only after running the handlers.
 * One {@link KafkaConsumer} per consumer thread, up to one per partition, each assigned its share
 * of the partitions (no group rebalances), committing to one group.
 */
public final class KafkaBaseline extends SessionSubject {

	/** Worker's default {@code worker.kafka.partitions}. */
	static final int PARTITIONS = 6;

	private final BenchKafka kafka;

	public KafkaBaseline(BenchKafka kafka) {
		this.kafka = kafka;
	}

	@Override
	public String name() {
		return "KafkaProducer acks=all + commit after";
	}

	@Override
	public String backend() {
		return "kafka";
	}

	@Override
	public Role role() {
		return Role.BASELINE;
	}

	@Override
	protected Session open(int concurrency, CompletionTracker tracker) throws Exception {
		return new KafkaSession(concurrency, tracker);
	}

	private final class KafkaSession implements Session {

		private final String topic = KafkaBaseline.this.kafka.prefix() + ".raw-" + UUID.randomUUID();

		private final int concurrency;

		private final CompletionTracker tracker;

		private final KafkaProducer<String, String> producer;

		private final List<Thread> consumers = new ArrayList<>();

		private volatile boolean running = true;

		KafkaSession(int concurrency, CompletionTracker tracker) throws Exception {
			this.concurrency = concurrency;
			this.tracker = tracker;
			KafkaBaseline.this.kafka.createTopic(this.topic, PARTITIONS);
			this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
					KafkaBaseline.this.kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
					ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 1),
					new StringSerializer(), new StringSerializer());
			// fetch the new topic's metadata now, not in the first measured send (Worker's producer
			// has it from the session's warm-up)
			this.producer.partitionsFor(this.topic);
		}

		@Override
		public void enqueue(BenchPayload task) throws Exception {
			this.producer.send(new ProducerRecord<>(this.topic, task.encode())).get(10, TimeUnit.SECONDS);
		}

		@Override
		public void enqueueAll(List<BenchPayload> tasks) throws Exception {
			List<Future<RecordMetadata>> sends = new ArrayList<>(tasks.size());
			for (BenchPayload task : tasks) {
				sends.add(this.producer.send(new ProducerRecord<>(this.topic, task.encode())));
			}
			for (Future<RecordMetadata> send : sends) {
				send.get(10, TimeUnit.SECONDS);
			}
		}

		@Override
		public void startConsumers() {
			int count = Math.min(this.concurrency, PARTITIONS);
			for (int i = 0; i < count; i++) {
				List<TopicPartition> share = new ArrayList<>();
				for (int partition = i; partition < PARTITIONS; partition += count) {
					share.add(new TopicPartition(this.topic, partition));
				}
				Thread consumer = new Thread(() -> consume(share), "kafka-consumer-" + i);
				this.consumers.add(consumer);
				consumer.start();
			}
		}

		private void consume(List<TopicPartition> partitions) {
			try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
					ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBaseline.this.kafka.bootstrapServers(),
					ConsumerConfig.GROUP_ID_CONFIG, this.topic, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
					ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
					new StringDeserializer())) {
				consumer.assign(partitions);
				while (this.running) {
					ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
					for (ConsumerRecord<String, String> record : records) {
						BenchPayload payload = BenchPayload.decode(record.value());
						this.tracker.record(payload.id(), payload.enqueuedNanos());
					}
					if (!records.isEmpty()) {
						consumer.commitSync();
					}
				}
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			for (Thread consumer : this.consumers) {
				consumer.join(TimeUnit.SECONDS.toMillis(10));
			}
			this.producer.close();
			KafkaBaseline.this.kafka.delete(this.topic);
		}

	}

}
