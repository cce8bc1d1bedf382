package io.worker.backend.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import io.worker.QueueInfo;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskInfo;
import io.worker.TaskState;
import io.worker.runtime.Backoff;
import io.worker.runtime.DefaultTaskClient;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.TaskDefaults;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.spi.BrokerContext;
import io.worker.spi.Delivery;
import io.worker.spi.DeliverySink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rebalances while tasks are in flight, against a real KRaft broker: a second consumer joins the
 * group while the first holds unsettled deliveries, then leaves. The first one's deliveries of
 * revoked partitions can no longer be settled, and no task is lost: every task is completed at
 * least once across 1,000 tasks and the group's lag ends at zero.
 */
class KafkaRebalanceTests {

	private static final Duration AWAIT = Duration.ofSeconds(60);

	private static final String QUEUE = "rebalance";

	private final String prefix = "rebalance-" + UUID.randomUUID().toString().substring(0, 8);

	private final KafkaTaskBroker first = broker();

	private final KafkaTaskBroker second = broker();

	private final Set<String> completed = ConcurrentHashMap.newKeySet();

	private final ExecutorService workers = Executors.newFixedThreadPool(4);

	@AfterEach
	void stop() {
		this.first.stop();
		this.second.stop();
		this.workers.shutdownNow();
		try {
			this.first.deleteTopics(List.of(QUEUE));
		}
		finally {
			this.first.close();
			this.second.close();
		}
	}

	@Test
	void noTaskIsLostWhenAConsumerJoinsAndLeavesWhileTasksAreInFlight() {
		Set<String> ids = new HashSet<>();
		for (int batch = 0; batch < 10; batch++) {
			List<TaskInfo> infos = client().enqueueAll(
					IntStream.range(0, 100).mapToObj((i) -> Task.of("test:rebalance", i).queue(QUEUE)).toList());
			infos.forEach((info) -> ids.add(info.id()));
		}
		BrokerContext context = context();
		HoldingSink held = new HoldingSink();
		this.first.start(context, held);
		await().atMost(AWAIT).until(() -> held.held.size() == context.prefetch(QUEUE));

		this.second.start(context, new CompletingSink());
		await().atMost(AWAIT)
			.until(() -> held.held.keySet().stream().anyMatch((delivery) -> !delivery.extendLease()));
		held.release();
		await().atMost(AWAIT).until(() -> this.completed.size() >= ids.size() / 2);

		this.second.stopConsuming();
		this.second.stop();
		await().atMost(AWAIT).until(() -> this.completed.containsAll(ids));
		await().atMost(AWAIT).until(() -> {
			QueueInfo queue = this.first.inspector().queue(QUEUE);
			return queue.size(TaskState.PENDING) == 0 && queue.size(TaskState.ACTIVE) == 0;
		});
	}

	private KafkaTaskBroker broker() {
		return new KafkaTaskBroker(KafkaTestSettings.settings(this.prefix, 3, Map.of()), Clock.systemUTC());
	}

	private TaskClient client() {
		TaskDefaults defaults = new TaskDefaults("default", 3, Duration.ofSeconds(30),
				new Backoff(Backoff.Strategy.FIXED, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0), List.of());
		return new DefaultTaskClient(this.first,
				new TaskSettingsResolver(defaults, Map.of(), new TaskHandlerRegistry()),
				new PayloadCodec(JsonMapper.builder().build()), new TaskEventListener() {
				}, 1024 * 1024, Clock.systemUTC());
	}

	private static BrokerContext context() {
		Map<String, Integer> weights = new LinkedHashMap<>();
		weights.put(QUEUE, 1);
		return new BrokerContext("worker-" + UUID.randomUUID(), weights, false, Map.of(), Map.of(), 4,
				Duration.ofSeconds(5));
	}

	/** Settles a delivery as the runtime would: complete it, or fail its stage when it cannot be settled. */
	private void settle(Delivery delivery, CompletableFuture<Void> stage) {
		try {
			delivery.complete(null);
			this.completed.add(delivery.message().id());
			stage.complete(null);
		}
		catch (IllegalStateException ex) {
			stage.completeExceptionally(ex);
		}
	}

	/** Completes every delivery on the worker threads. */
	private final class CompletingSink implements DeliverySink {

		@Override
		public CompletionStage<Void> offer(Delivery delivery) {
			CompletableFuture<Void> stage = new CompletableFuture<>();
			KafkaRebalanceTests.this.workers.execute(() -> settle(delivery, stage));
			return stage;
		}

	}

	/** Holds every delivery until released, then completes them and every later one. */
	private final class HoldingSink implements DeliverySink {

		private final Map<Delivery, CompletableFuture<Void>> held = new ConcurrentHashMap<>();

		private volatile boolean holding = true;

		@Override
		public synchronized CompletionStage<Void> offer(Delivery delivery) {
			CompletableFuture<Void> stage = new CompletableFuture<>();
			if (this.holding) {
				this.held.put(delivery, stage);
			}
			else {
				KafkaRebalanceTests.this.workers.execute(() -> settle(delivery, stage));
			}
			return stage;
		}

		synchronized void release() {
			this.holding = false;
			new ArrayList<>(this.held.entrySet()).forEach((entry) -> KafkaRebalanceTests.this.workers
				.execute(() -> settle(entry.getKey(), entry.getValue())));
		}

	}

}
