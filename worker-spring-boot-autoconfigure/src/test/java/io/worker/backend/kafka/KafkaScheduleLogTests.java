package io.worker.backend.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.worker.spi.ScheduleLog.Entry;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The recurring tasks' log on a real KRaft broker: a confirmed append is read back, every reader
 * sees one order, reads start where asked, and an unreachable broker fails a call in bounded time
 * with a message naming the topic. Each test has topics of its own prefix, deleted after it.
 */
class KafkaScheduleLogTests {

	private final String prefix = "schedlog-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<KafkaTaskBroker> brokers = new ArrayList<>();

	@AfterEach
	void deleteTopics() {
		try {
			if (!this.brokers.isEmpty()) {
				this.brokers.get(0).deleteTopics(List.of());
			}
		}
		finally {
			this.brokers.forEach(KafkaTaskBroker::close);
		}
	}

	@Test
	void aConfirmedAppendIsReadBack() {
		KafkaScheduleLog log = log();
		log.append(bytes("first"));
		List<Entry> entries = log.readAfter(-1);
		assertThat(entries).extracting(KafkaScheduleLogTests::text).containsExactly("first");
		log.append(bytes("second"));
		assertThat(log().readAfter(-1)).extracting(KafkaScheduleLogTests::text).containsExactly("first", "second");
	}

	@Test
	void readAfterAPositionStartsAfterIt() {
		KafkaScheduleLog log = log();
		for (int i = 0; i < 5; i++) {
			log.append(bytes("r" + i));
		}
		List<Entry> all = log.readAfter(-1);
		assertThat(all).extracting(Entry::position).isSorted().doesNotHaveDuplicates();
		assertThat(log.readAfter(all.get(1).position())).extracting(KafkaScheduleLogTests::text)
			.containsExactly("r2", "r3", "r4");
		assertThat(log.readAfter(all.get(4).position())).isEmpty();
	}

	@Test
	void anEmptyLogReadsNothing() {
		assertThat(log().readAfter(-1)).isEmpty();
	}

	@Test
	void twoProducersAppendingAtOnceAreReadInOneOrderByEveryReader() throws Exception {
		KafkaScheduleLog one = log();
		KafkaScheduleLog two = log();
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			List<Callable<Void>> appends = new ArrayList<>();
			for (KafkaScheduleLog log : List.of(one, two)) {
				String name = (log == one) ? "one-" : "two-";
				appends.add(() -> {
					for (int i = 0; i < 50; i++) {
						log.append(bytes(name + i));
					}
					return null;
				});
			}
			for (Future<Void> done : executor.invokeAll(appends)) {
				done.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
		List<Entry> readByOne = one.readAfter(-1);
		List<Entry> readByThird = log().readAfter(-1);
		assertThat(readByOne).hasSize(100).extracting(Entry::position).isSorted().doesNotHaveDuplicates();
		assertThat(readByThird).extracting(Entry::position).isEqualTo(readByOne.stream().map(Entry::position).toList());
		assertThat(readByThird).extracting(KafkaScheduleLogTests::text)
			.isEqualTo(readByOne.stream().map(KafkaScheduleLogTests::text).toList());
		// each producer's own records keep the order in which it appended them
		assertThat(readByOne).extracting(KafkaScheduleLogTests::text)
			.filteredOn((text) -> text.startsWith("one-"))
			.isEqualTo(java.util.stream.IntStream.range(0, 50).mapToObj((i) -> "one-" + i).toList());
	}

	@Test
	void theTopicHasOnePartitionAndDeletesByAge() throws Exception {
		KafkaScheduleLog log = log();
		log.append(bytes("x"));
		String topic = this.prefix + ".schedules";
		try (Admin admin = Admin.create(TestKafka.clientProperties())) {
			assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(1);
			ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
			var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
			assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
			assertThat(Duration.ofMillis(Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value())))
				.isGreaterThanOrEqualTo(Duration.ofDays(7));
		}
	}

	@Test
	void anExistingTopicWithMorePartitionsIsRefusedNamingIt() throws Exception {
		String topic = this.prefix + ".schedules";
		try (Admin admin = Admin.create(TestKafka.clientProperties())) {
			admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)
				.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")))).all().get();
		}
		assertThatIllegalStateException().isThrownBy(() -> log().append(bytes("x")))
			.withMessageContaining(topic)
			.withMessageContaining("exactly 1");
	}

	@Test
	void anUnreachableBrokerFailsAppendAndReadInBoundedTimeNamingTheTopic() throws IOException {
		String unreachable = unreachableAddress();
		assertFailsInBoundedTime(settings(unreachable, unreachable), "unreachable.schedules");
	}

	@Test
	void aBrokerLostAfterTheTopicWasCheckedFailsAppendAndReadInBoundedTime() throws IOException {
		// the admin client still reaches the broker, so the producer and the reader are what fail;
		// the first log here makes the test's topics deleted afterwards
		log();
		assertFailsInBoundedTime(settings(TestKafka.bootstrapServers(), unreachableAddress()),
				this.prefix + ".schedules");
	}

	private static void assertFailsInBoundedTime(KafkaBackendSettings settings, String topic) {
		KafkaTaskBroker broker = new KafkaTaskBroker(settings, Clock.systemUTC());
		try {
			KafkaScheduleLog log = broker.scheduleLog();
			// the bound is the send timeout (1 s); the preemptive limit only keeps a hang from stalling the build
			assertTimeoutPreemptively(Duration.ofSeconds(30),
					() -> assertThatIllegalStateException().isThrownBy(() -> log.append(bytes("x")))
						.withMessageContaining("schedules topic '" + topic + "'"));
			assertTimeoutPreemptively(Duration.ofSeconds(30),
					() -> assertThatIllegalStateException().isThrownBy(() -> log.readAfter(-1))
						.withMessageContaining("schedules topic '" + topic + "'"));
		}
		finally {
			broker.close();
		}
	}

	private KafkaScheduleLog log() {
		KafkaTaskBroker broker = new KafkaTaskBroker(KafkaTestSettings.settings(this.prefix, 1, Map.of()),
				Clock.systemUTC());
		this.brokers.add(broker);
		return broker.scheduleLog();
	}

	/** An address nothing listens on. */
	private static String unreachableAddress() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return "127.0.0.1:" + socket.getLocalPort();
		}
	}

	/** Settings with a one-second send timeout, the admin client at one address, producer and consumer at another. */
	private KafkaBackendSettings settings(String adminAddress, String clientAddress) {
		Map<String, Object> admin = new HashMap<>();
		admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, adminAddress);
		admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000);
		admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
		Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, clientAddress,
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
		Map<String, Object> consumer = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, clientAddress,
				ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000);
		String prefix = adminAddress.equals(clientAddress) ? "unreachable" : this.prefix;
		return new KafkaBackendSettings(prefix, 1, (short) 1, prefix + "-workers", Duration.ofSeconds(1),
				KafkaBackendSettings.DEFAULT_DELAY_TIERS, producer, consumer, admin);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(Entry entry) {
		return new String(entry.record(), StandardCharsets.UTF_8);
	}

}
