package io.worker.bench;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The harness's own view of the benchmark Kafka: every topic and consumer group of a run starts
 * with the run's prefix ({@code bench-<random>}); subjects delete theirs when a session closes, and
 * closing this deletes whatever is left under the prefix. It never touches another topic.
 */
public final class BenchKafka implements AutoCloseable {

	private final String bootstrapServers;

	private final String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8);

	private final Admin admin;

	/**
	 * Connect to the Kafka at {@code bootstrapServers}.
	 * @throws IllegalStateException when it cannot be reached, saying where it was looked for
	 */
	public BenchKafka(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				15_000));
		try {
			this.admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			this.admin.close();
			throw new IllegalStateException("No Kafka at " + bootstrapServers
					+ ": start one (scripts/kafka-standalone.sh) or pass --kafka=host:port", ex);
		}
	}

	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	/** The run's prefix: every topic and group name of the run starts with it. */
	public String prefix() {
		return this.prefix;
	}

	/** Create a topic (replication factor: the broker's default). */
	public void createTopic(String topic, int partitions) throws Exception {
		requireOwn(topic);
		this.admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty())))
			.all()
			.get(30, TimeUnit.SECONDS);
	}

	/** Delete every topic and consumer group whose name starts with {@code prefix}. */
	public void delete(String prefix) {
		requireOwn(prefix);
		try {
			List<String> topics = this.admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
				.filter((topic) -> topic.startsWith(prefix))
				.toList();
			if (!topics.isEmpty()) {
				this.admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
			}
			@SuppressWarnings("deprecation")
			List<String> groups = this.admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
				.map(ConsumerGroupListing::groupId)
				.filter((group) -> group.startsWith(prefix))
				.toList();
			if (!groups.isEmpty()) {
				this.admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			System.err.println("Could not delete everything under " + prefix + ": " + ex);
		}
	}

	/** The Kafka client's version (the broker's is not exposed to clients). */
	public String version() {
		return AppInfoParser.getVersion();
	}

	@Override
	public void close() {
		delete(this.prefix);
		this.admin.close();
	}

	private void requireOwn(String name) {
		if (!name.startsWith(this.prefix)) {
			throw new IllegalArgumentException("Refusing to touch Kafka objects outside the run's prefix: " + name);
		}
	}

}
