package io.worker.backend.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the backend's topics when they are missing and checks those that exist, and answers
 * what the admin API knows about them: their partitions and a consumer group's lag. Each topic is
 * checked once per process.
 */
final class KafkaTopics {

	/** What a topic is for, and the cleanup policy that use needs. */
	enum Kind {

		/** A queue or a delay tier: records are consumed once, then age out. */
		QUEUE(TopicConfig.CLEANUP_POLICY_DELETE),

		/** A dead letter: keyed by task id, a re-run or deleted task is a tombstone. */
		ARCHIVE(TopicConfig.CLEANUP_POLICY_COMPACT),

		/** The cancel broadcast: one partition, read from its end. */
		BROADCAST(TopicConfig.CLEANUP_POLICY_DELETE),

		/**
		 * The schedules' claim log: one partition for one total order, replayed from its start; kept
		 * long, and truncation loses nothing since the schedule store writes snapshots into it.
		 */
		LOG(TopicConfig.CLEANUP_POLICY_DELETE, Map.of(TopicConfig.RETENTION_MS_CONFIG,
				Long.toString(Duration.ofDays(30).toMillis()))),

		/** Shared state (paused queues, worker heartbeats): one partition keyed by name, read from its start. */
		STATE(TopicConfig.CLEANUP_POLICY_COMPACT);

		private final String cleanupPolicy;

		private final Map<String, String> configs;

		Kind(String cleanupPolicy) {
			this(cleanupPolicy, Map.of());
		}

		Kind(String cleanupPolicy, Map<String, String> configs) {
			this.cleanupPolicy = cleanupPolicy;
			this.configs = configs;
		}

		private boolean onePartition() {
			return this == BROADCAST || this == LOG || this == STATE;
		}

	}

	private final Admin admin;

	private final KafkaBackendSettings settings;

	private final Set<String> checked = ConcurrentHashMap.newKeySet();

	KafkaTopics(Admin admin, KafkaBackendSettings settings) {
		this.admin = admin;
		this.settings = settings;
	}

	/**
	 * Create the topic if it is missing, else check its partitions and cleanup policy.
	 * @throws IllegalStateException when the existing topic does not fit, naming it and what to change
	 */
	void ensure(String topic, Kind kind) {
		if (this.checked.contains(topic)) {
			return;
		}
		int partitions = kind.onePartition() ? 1 : this.settings.partitions();
		Map<String, String> configs = new HashMap<>(kind.configs);
		configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, kind.cleanupPolicy);
		NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.ofNullable(this.settings.replicationFactor()))
			.configs(configs);
		try {
			get(this.admin.createTopics(List.of(newTopic)).all());
			awaitLeaders(topic, partitions);
		}
		catch (KafkaAdminException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw ex;
			}
			check(topic, kind);
		}
		this.checked.add(topic);
	}

	/**
	 * Wait until every partition of a topic just created has a leader that serves it, so that the
	 * first sends to it do not fail while the cluster catches up. A leader in the metadata is not
	 * enough: a KRaft broker publishes it before its replica manager leads the partition, and sends
	 * in that gap got {@code NOT_LEADER_OR_FOLLOWER}, then {@code OUT_OF_ORDER_SEQUENCE_NUMBER} for
	 * the idempotent producer's later batches, until the send timeout refused them. Listing the
	 * partitions' end offsets is answered only by the leading replica (the admin client retries
	 * until then).
	 */
	private void awaitLeaders(String topic, int partitions) {
		long deadline = System.nanoTime() + this.settings.sendTimeout().toNanos();
		while (System.nanoTime() < deadline) {
			try {
				TopicDescription description = get(
						this.admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
				if (description.partitions().size() >= partitions
						&& description.partitions().stream().allMatch((partition) -> partition.leader() != null)) {
					offsets(partitions(topic), OffsetSpec.latest());
					return;
				}
			}
			catch (KafkaAdminException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw ex;
				}
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
	}

	/** The partitions of a topic, or none when it does not exist. */
	List<TopicPartition> partitions(String topic) {
		try {
			TopicDescription description = get(this.admin.describeTopics(List.of(topic)).topicNameValues().get(topic));
			return description.partitions()
				.stream()
				.map((partition) -> new TopicPartition(topic, partition.partition()))
				.toList();
		}
		catch (KafkaAdminException ex) {
			if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
				return List.of();
			}
			throw ex;
		}
	}

	/** The largest record batch the topic accepts ({@code max.message.bytes}, else the broker's {@code message.max.bytes}). */
	int maxMessageBytes(String topic) {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		Config config = get(this.admin.describeConfigs(List.of(resource)).all()).get(resource);
		return Integer.parseInt(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
	}

	/** The names of every topic of the cluster. */
	Set<String> names() {
		return get(this.admin.listTopics().names());
	}

	/** How many records of the topic the group has not committed yet (from the start when it has no commit). */
	long lag(String topic, String groupId) {
		List<TopicPartition> partitions = partitions(topic);
		if (partitions.isEmpty()) {
			return 0;
		}
		Map<TopicPartition, OffsetAndMetadata> committed = get(
				this.admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
		Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
		Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
		long lag = 0;
		for (TopicPartition partition : partitions) {
			OffsetAndMetadata commit = committed.get(partition);
			long from = Math.max(earliest.get(partition), (commit != null) ? commit.offset() : 0);
			lag += Math.max(0, latest.get(partition) - from);
		}
		return lag;
	}

	/** Delete topics (for tests and tooling), forgetting that they were checked. */
	void delete(Collection<String> topics) {
		this.checked.removeAll(topics);
		try {
			get(this.admin.deleteTopics(topics).all());
		}
		catch (KafkaAdminException ex) {
			if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
				throw ex;
			}
		}
	}

	private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
		Map<TopicPartition, OffsetSpec> request = partitions.stream()
			.collect(Collectors.toMap((partition) -> partition, (partition) -> spec));
		Map<TopicPartition, ListOffsetsResultInfo> result = get(this.admin.listOffsets(request).all());
		Map<TopicPartition, Long> offsets = new HashMap<>();
		result.forEach((partition, info) -> offsets.put(partition, info.offset()));
		return offsets;
	}

	private void check(String topic, Kind kind) {
		List<TopicPartition> partitions = partitions(topic);
		if (kind == Kind.QUEUE && partitions.size() < this.settings.partitions()) {
			throw new IllegalStateException("Kafka topic '" + topic + "' has " + partitions.size()
					+ " partitions, fewer than worker.kafka.partitions (" + this.settings.partitions()
					+ "): add partitions to the topic or lower worker.kafka.partitions");
		}
		if (kind == Kind.LOG && partitions.size() != 1) {
			throw new IllegalStateException("Kafka topic '" + topic + "' has " + partitions.size()
					+ " partitions but Worker needs exactly 1 for it (the schedules' claims need one total order):"
					+ " delete the topic and let Worker create it");
		}
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		Config config = get(this.admin.describeConfigs(List.of(resource)).all()).get(resource);
		String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
		if (!policy.equals(kind.cleanupPolicy)) {
			throw new IllegalStateException("Kafka topic '" + topic + "' has cleanup.policy=" + policy
					+ " but Worker needs cleanup.policy=" + kind.cleanupPolicy + " for it: change the topic's policy"
					+ ((kind == Kind.ARCHIVE) ? " (a dead letter is compacted by task id)"
							: (kind == Kind.LOG) ? " (the schedules' log keeps every claim in order)"
									: " (a compacted queue would drop tasks with the same key)"));
		}
	}

	private <T> T get(KafkaFuture<T> future) {
		try {
			return future.get(this.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new KafkaAdminException(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new KafkaAdminException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new KafkaAdminException(ex);
		}
	}

	/** An admin request failed; the cause is Kafka's. */
	static final class KafkaAdminException extends RuntimeException {

		KafkaAdminException(Throwable cause) {
			super("Kafka admin request failed: " + cause, cause);
		}

	}

}
