package io.worker.backend.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.GetResponse;
import io.worker.TaskEnqueueException;
import io.worker.TaskState;
import io.worker.spi.BrokerContext;
import io.worker.spi.Delivery;
import io.worker.spi.DeliverySink;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.EnqueueResult;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import io.worker.spi.UnsupportedSettingException;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The RabbitMQ broker against a real RabbitMQ, in a virtual host of its own: topology, confirmed
 * and refused publishes, the message format, and settings it refuses.
 */
class RabbitTaskBrokerTests {

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults().withPrefix("t" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final List<RabbitTaskBroker> brokers = new ArrayList<>();

	@AfterEach
	void destroyBrokers() {
		this.brokers.forEach(RabbitTaskBroker::destroy);
	}

	@Test
	void enqueueReturnsOnceConfirmedWithTheTaskInItsBody() {
		RabbitTaskBroker broker = broker("emails");
		TaskMessage task = task("emails", "t1");

		List<EnqueueResult> results = broker.enqueue(List.of(new EnqueueRequest(task, null)));

		assertThat(results).singleElement().satisfies((result) -> {
			assertThat(result.failure()).isNull();
			assertThat(result.info().state()).isEqualTo(TaskState.PENDING);
		});
		GetResponse message = virtualHost.take(this.settings.prefix() + ".queue.emails");
		assertThat(message).isNotNull();
		assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
		RabbitTaskCodec.Fields fields = RabbitTaskCodec.read(Map.of(), message.getBody());
		assertThat(fields.fields()).containsEntry("worker-id", "t1")
			.containsEntry("worker-h-traceparent", "00-abc-01")
			.containsKeys("worker-type", "worker-enqueued-at");
		assertThat(new String(fields.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
	}

	@Test
	void enqueueOfABatchConfirmsEveryTask() {
		RabbitTaskBroker broker = broker("batch");
		List<EnqueueRequest> requests = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			requests.add(new EnqueueRequest(task("batch", "b" + i), null));
		}

		List<EnqueueResult> results = broker.enqueue(requests);

		assertThat(results).hasSize(200).allSatisfy((result) -> assertThat(result.failure()).isNull());
		assertThat(virtualHost.messageCount(this.settings.prefix() + ".queue.batch")).isEqualTo(200);
	}

	@Test
	void aBatchOverSeveralChannelsRefusesExactlyItsUnroutableTasks() {
		RabbitTaskBroker broker = new RabbitTaskBroker(factory(), this.settings, List.of("kept", "dropped"),
				Clock.systemUTC());
		broker.afterPropertiesSet();
		this.brokers.add(broker);
		virtualHost.deleteQueue(this.settings.prefix() + ".queue.dropped");
		int size = RabbitPublisher.CHUNK * RabbitPublisher.CHANNELS;
		List<EnqueueRequest> requests = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			requests.add(new EnqueueRequest(task((i % 7 == 3) ? "dropped" : "kept", "m" + i), null));
		}

		List<EnqueueResult> results = broker.enqueue(requests);

		for (int i = 0; i < size; i++) {
			EnqueueResult result = results.get(i);
			if (i % 7 == 3) {
				assertThat(result.failure()).as("task %d", i)
					.isInstanceOf(TaskEnqueueException.class)
					.hasMessageContaining("'m" + i + "'")
					.hasMessageContaining("unroutable");
			}
			else {
				assertThat(result.failure()).as("task %d", i).isNull();
			}
		}
		long kept = results.stream().filter((result) -> result.failure() == null).count();
		assertThat(virtualHost.messageCount(this.settings.prefix() + ".queue.kept")).isEqualTo(kept);
	}

	@Test
	void aTaskIsPublishedWithNoHeaderTableAndNoPropertiesButPersistence() {
		RabbitTaskBroker broker = broker("props");

		broker.enqueue(List.of(new EnqueueRequest(task("props", "t1"), null)));

		GetResponse message = virtualHost.take(this.settings.prefix() + ".queue.props");
		assertThat(message).isNotNull();
		assertThat(message.getProps().getMessageId()).isNull();
		assertThat(message.getProps().getType()).isNull();
		assertThat(message.getProps().getContentType()).isNull();
		Map<String, Object> headers = message.getProps().getHeaders();
		// the broker may add its own (x-*) headers, never Worker's
		assertThat((headers != null) ? headers.keySet() : Set.<String>of())
			.noneMatch((name) -> name.startsWith(TaskEnvelope.PREFIX));
	}

	@Test
	void anUnroutablePublishIsRefused() {
		RabbitTaskBroker broker = broker("gone");
		virtualHost.deleteQueue(this.settings.prefix() + ".queue.gone");

		List<EnqueueResult> results = broker.enqueue(List.of(new EnqueueRequest(task("gone", "t1"), null)));

		assertThat(results).singleElement().satisfies((result) -> {
			assertThat(result.info()).isNull();
			assertThat(result.failure()).isInstanceOf(TaskEnqueueException.class).hasMessageContaining("unroutable");
		});
	}

	@Test
	void aDelayBeyondTheLevelsIsRefused() {
		RabbitTaskBroker broker = broker("far");

		List<EnqueueResult> results = broker.enqueue(
				List.of(new EnqueueRequest(task("far", "t1"), Instant.now().plus(Duration.ofDays(365 * 20)))));

		assertThat(results.get(0).failure()).isInstanceOf(TaskEnqueueException.class).hasMessageContaining("days");
	}

	@Test
	void aQueueDeclaredWithOtherArgumentsFailsStartupNamingTheQueueAndTheArgument() {
		String queue = this.settings.prefix() + ".queue.clash";
		virtualHost.withChannel((channel) -> channel.queueDeclare(queue, true, false, false,
				Map.of("x-queue-type", "classic")));
		RabbitTaskBroker broker = new RabbitTaskBroker(factory(), this.settings, List.of("clash"),
				Clock.systemUTC());
		this.brokers.add(broker);

		assertThatExceptionOfType(RabbitTopology.RabbitTopologyException.class).isThrownBy(broker::afterPropertiesSet)
			.withMessageContaining("'" + queue + "'")
			.withMessageContaining("PRECONDITION_FAILED")
			.satisfies((ex) -> assertThat(ex.getMessage()).containsPattern("different argument 'x-[a-z-]+'"));
	}

	@Test
	void strictPriorityIsRefused() {
		RabbitTaskBroker broker = broker("strict");
		BrokerContext context = new BrokerContext("w1", Map.of("strict", 1), true, Map.of(), Map.of(), 2,
				Duration.ofSeconds(1));

		assertThatExceptionOfType(UnsupportedSettingException.class)
			.isThrownBy(() -> broker.start(context, (delivery) -> new CompletableFuture<>()))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("worker.server.strict-priority"));
	}

	@Test
	void aDeliveryThatIsNotSettledIsDeliveredAgainWithItsCount() {
		RabbitTaskBroker broker = broker("again");
		broker.enqueue(List.of(new EnqueueRequest(task("again", "t1"), null)));
		List<Delivery> deliveries = new CopyOnWriteArrayList<>();
		DeliverySink sink = (delivery) -> {
			deliveries.add(delivery);
			CompletionStage<Void> stage = (deliveries.size() == 1)
					? CompletableFuture.failedFuture(new IllegalStateException("not settled"))
					: CompletableFuture.completedFuture(null);
			if (deliveries.size() > 1) {
				delivery.complete(null);
			}
			return stage;
		};

		broker.start(new BrokerContext("w1", Map.of("again", 1), false, Map.of(), Map.of(), 2, Duration.ofSeconds(1)),
				sink);

		await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() == 2);
		assertThat(deliveries).extracting(Delivery::deliveryCount).containsExactly(1, 2);
		assertThat(deliveries.get(1).message().id()).isEqualTo("t1");
	}

	private RabbitTaskBroker broker(String queue) {
		RabbitTaskBroker broker = new RabbitTaskBroker(factory(), this.settings, List.of(queue),
				Clock.systemUTC());
		broker.afterPropertiesSet();
		this.brokers.add(broker);
		return broker;
	}

	private CachingConnectionFactory factory() {
		return virtualHost.connectionFactory();
	}

	static TaskMessage task(String queue, String id) {
		return TaskMessage.builder(id, "test:job", queue)
			.payload("{\"n\":1}".getBytes(StandardCharsets.UTF_8))
			.headers(Map.of("traceparent", "00-abc-01"))
			.timeout(Duration.ofSeconds(30))
			.enqueuedAt(Instant.now())
			.build();
	}

}
