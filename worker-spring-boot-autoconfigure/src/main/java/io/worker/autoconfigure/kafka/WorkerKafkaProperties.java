package io.worker.autoconfigure.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.worker.backend.kafka.KafkaBackendSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the Kafka backend. The connection itself is Spring Boot's
 * ({@code spring.kafka.*}).
 */
@ConfigurationProperties("worker.kafka")
public class WorkerKafkaProperties {

	/**
	 * Prefix of every topic Worker uses. Applications that share a Kafka cluster keep their tasks
	 * apart with different prefixes.
	 */
	private String prefix = "worker";

	/**
	 * Number of partitions of each topic Worker creates, and the least an existing queue topic
	 * must have. Partitions bound how many instances share a queue, not how many of its tasks
	 * run at once on one instance.
	 */
	private int partitions = 6;

	/** Replication factor of each topic Worker creates. Defaults to the broker's default. */
	private @Nullable Short replicationFactor;

	/**
	 * Consumer group of the worker servers. Defaults to spring.application.name, else "worker".
	 */
	private @Nullable String groupId;

	/**
	 * How long a send may take until the broker acknowledged it; an enqueue not acknowledged in
	 * time fails.
	 */
	private Duration sendTimeout = Duration.ofSeconds(10);

	/**
	 * Delays of the delay-tier topics that hold delayed tasks and retries. The smallest is the
	 * resolution of delays.
	 */
	private List<Duration> delayTiers = new ArrayList<>(KafkaBackendSettings.DEFAULT_DELAY_TIERS);

	public String getPrefix() {
		return this.prefix;
	}

	public void setPrefix(String prefix) {
		this.prefix = prefix;
	}

	public int getPartitions() {
		return this.partitions;
	}

	public void setPartitions(int partitions) {
		this.partitions = partitions;
	}

	public @Nullable Short getReplicationFactor() {
		return this.replicationFactor;
	}

	public void setReplicationFactor(@Nullable Short replicationFactor) {
		this.replicationFactor = replicationFactor;
	}

	public @Nullable String getGroupId() {
		return this.groupId;
	}

	public void setGroupId(@Nullable String groupId) {
		this.groupId = groupId;
	}

	public Duration getSendTimeout() {
		return this.sendTimeout;
	}

	public void setSendTimeout(Duration sendTimeout) {
		this.sendTimeout = sendTimeout;
	}

	public List<Duration> getDelayTiers() {
		return this.delayTiers;
	}

	public void setDelayTiers(List<Duration> delayTiers) {
		this.delayTiers = delayTiers;
	}

}
