package io.worker.backend.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.GetResponse;
import io.worker.Cron;
import io.worker.Schedule;
import io.worker.backend.rabbitmq.RabbitSettings.QueueType;
import io.worker.runtime.RecurringTasksContractTests;
import io.worker.spi.ScheduleStore;
import io.worker.spi.TaskBackend;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recurring task contract on RabbitMQ: each instance has its own {@link RabbitTaskBroker} and
 * connection on one virtual host of the class's own, each test under its own prefix, so each test
 * has its own schedule stream. The tasks fired are taken from the Worker queue as they arrive.
 */
@ExtendWith(OutputCaptureExtension.class)
class RabbitRecurringTasksTests extends RecurringTasksContractTests {

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	/** Classic queues: each prefix declares its delay levels, quicker as classic than as quorum queues. */
	private final RabbitSettings settings = RabbitSettings.defaults()
		.withPrefix("sched" + System.nanoTime())
		.withQueueType(QueueType.CLASSIC)
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final List<RabbitTaskBroker> brokers = new ArrayList<>();

	private final List<FiredTask> received = new CopyOnWriteArrayList<>();

	@Override
	protected TaskBackend backend() {
		RabbitTaskBroker broker = new RabbitTaskBroker(virtualHost.connectionFactory(), this.settings,
				List.of(this.queue), this.clock);
		broker.afterPropertiesSet();
		this.brokers.add(broker);
		return broker;
	}

	@AfterEach
	void stopBrokers() {
		// the virtual host, and everything in it, is deleted after the class
		this.brokers.forEach(RabbitTaskBroker::destroy);
	}

	/** Every publish is confirmed before enqueue returns: what is in the queue is all there is. */
	@Override
	protected List<FiredTask> fired() {
		GetResponse message;
		while ((message = virtualHost.take(this.settings.prefix() + ".queue." + this.queue)) != null) {
			Map<String, Object> headers = message.getProps().getHeaders();
			RabbitTaskCodec.Fields fields = RabbitTaskCodec
				.read(RabbitQueueConsumer.text((headers != null) ? headers : Map.of()), message.getBody());
			TaskMessage task = TaskEnvelope.read(fields.fields(), fields.payload());
			this.received.add(FiredTask.of(task.id(), task.headers(),
					new String(task.payload(), StandardCharsets.UTF_8)));
		}
		return List.copyOf(this.received);
	}

	@Test
	void anInstanceWhoseBrokerIsDestroyedIsTakenOverByAFreshInstanceReplayingTheLog() {
		tasks(0).upsert(everyMinute("report"));
		for (int tick = 1; tick <= 3; tick++) {
			this.clock.advance(Duration.ofMinutes(1));
			scheduler(0).runOnce();
		}
		((RabbitTaskBroker) backendInstance(0)).destroy();
		// a new process: its store replays the stream from the start
		ScheduleStore fresh = backend().scheduleStore();
		assertThat(fresh.get("report").orElseThrow().history()).hasSize(3);
		assertThat(fresh.claimTick("report", this.clock.instant(), Duration.ofMinutes(1))).isFalse();
		for (int tick = 4; tick <= 6; tick++) {
			this.clock.advance(Duration.ofMinutes(1));
			scheduler(1).runOnce();
			scheduler(2).runOnce();
		}
		assertThat(fired()).extracting(FiredTask::tickId).doesNotHaveDuplicates().hasSize(6);
	}

	@Test
	void garbageInTheScheduleStreamIsLoggedAndSkipped(CapturedOutput output) {
		tasks(0).upsert(everyMinute("report"));
		virtualHost.publish(this.settings.prefix() + ".schedules", Map.of(), "not a schedule record \u0000");
		this.clock.advance(Duration.ofMinutes(1));
		scheduler(1).runOnce();
		scheduler(2).runOnce();
		assertThat(output).contains("Skipped an unreadable record at position");
		assertThat(tasks(2).get("report")).isPresent();
		this.clock.advance(Duration.ofMinutes(1));
		scheduler(0).runOnce();
		scheduler(2).runOnce();
		assertThat(fired()).extracting(FiredTask::tickId).doesNotHaveDuplicates().hasSize(2);
	}

	private Schedule everyMinute(String name) {
		return Schedule.builder(name).cron(Cron.everyMinute()).task("report:build").queue(this.queue).build();
	}

}
