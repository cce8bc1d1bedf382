package io.worker.backend.rabbitmq;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.Task;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The archive stream on RabbitMQ, in a virtual host of its own: listed page by page newest first
 * without consuming it, re-run and deleted through removal markers, garbage listed with its reason.
 */
class RabbitArchiveTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final RabbitSettings settings = RabbitSettings.defaults()
		.withPrefix("a" + System.nanoTime())
		.withConfirmTimeout(Duration.ofSeconds(5));

	private final Handlers handlers = new Handlers();

	@Test
	void archivedTasksArePagedNewestFirstAndARerunOrDeletedOneIsListedNoMore() {
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), this.settings, "paged", 0,
				this.handlers).start()) {
			TaskInspector inspector = worker.broker.inspector();
			for (int i = 0; i < 5; i++) {
				worker.client.enqueue(Task.of("test:fail", "f" + i).queue("paged"));
				int archived = i + 1;
				await().atMost(WAIT).until(() -> inspector.queue("paged").size(TaskState.ARCHIVED) == archived);
			}

			assertThat(payloads(inspector.tasks("paged", TaskState.ARCHIVED, 0, 2))).containsExactly("f4", "f3");
			assertThat(payloads(inspector.tasks("paged", TaskState.ARCHIVED, 1, 2))).containsExactly("f2", "f1");
			assertThat(payloads(inspector.tasks("paged", TaskState.ARCHIVED, 2, 2))).containsExactly("f0");
			// reading consumed nothing: the same listing again
			List<TaskDetail> all = inspector.tasks("paged", TaskState.ARCHIVED, 0, 10);
			assertThat(payloads(all)).containsExactly("f4", "f3", "f2", "f1", "f0");
			assertThat(all.get(1).lastError()).contains("boom");
			assertThat(all.get(1).locator()).startsWith("offset:");

			this.handlers.healed.add("f3");
			this.handlers.healed.add("f0");
			inspector.runTask("paged", all.get(1).handle());
			inspector.runTask("paged", all.get(4).id());
			await().atMost(WAIT).until(() -> this.handlers.completed.containsAll(List.of("f3", "f0")));
			inspector.deleteTask("paged", all.get(3).handle());

			assertThat(payloads(inspector.tasks("paged", TaskState.ARCHIVED, 0, 10))).containsExactly("f4", "f2");
			assertThat(inspector.queue("paged").size(TaskState.ARCHIVED)).isEqualTo(2);
			assertThatExceptionOfType(TaskNotFoundException.class)
				.isThrownBy(() -> inspector.runTask("paged", all.get(1).handle()));
			assertThatExceptionOfType(TaskNotFoundException.class)
				.isThrownBy(() -> inspector.deleteTask("paged", all.get(3).handle()));
			assertThat(this.handlers.completed).containsExactly("f3", "f0");
		}
	}

	@Test
	void countingAgainWithNothingNewAppendsNothingAndAnotherInstanceCountsAlike() {
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), this.settings, "cheap", 0,
				this.handlers).start()) {
			TaskInspector inspector = worker.broker.inspector();
			worker.client.enqueue(Task.of("test:fail", "c0").queue("cheap"));
			await().atMost(WAIT).until(() -> inspector.queue("cheap").size(TaskState.ARCHIVED) == 1);
			String stream = this.settings.prefix() + ".archive.cheap";
			long records = settledCount(stream);

			// what the dashboard does every few seconds: only the stream's message count is read
			for (int i = 0; i < 20; i++) {
				assertThat(inspector.queues()).filteredOn((queue) -> queue.name().equals("cheap"))
					.singleElement()
					.satisfies((queue) -> assertThat(queue.size(TaskState.ARCHIVED)).isEqualTo(1));
			}
			assertThat(settledCount(stream)).isEqualTo(records);

			try (RabbitWorker other = new RabbitWorker(virtualHost.connectionFactory(), this.settings, "cheap", 0,
					this.handlers)) {
				assertThat(other.broker.inspector().queue("cheap").size(TaskState.ARCHIVED)).isEqualTo(1);
				worker.client.enqueue(Task.of("test:fail", "c1").queue("cheap"));
				await().atMost(WAIT).until(() -> inspector.queue("cheap").size(TaskState.ARCHIVED) == 2);
				await().atMost(WAIT).until(() -> other.broker.inspector().queue("cheap").size(TaskState.ARCHIVED) == 2);
				assertThat(payloads(other.broker.inspector().tasks("cheap", TaskState.ARCHIVED, 0, 10)))
					.containsExactly("c1", "c0");
			}
		}
	}

	@Test
	void garbageIsListedWithItsReasonAndCanOnlyBeDeleted() {
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), this.settings, "junk", 0,
				this.handlers).start()) {
			TaskInspector inspector = worker.broker.inspector();
			virtualHost.publish(this.settings.prefix() + ".queue.junk", Map.of("worker-id", "g1"), "not a task");

			await().atMost(WAIT).until(() -> inspector.queue("junk").size(TaskState.ARCHIVED) == 1);
			TaskDetail garbage = inspector.tasks("junk", TaskState.ARCHIVED, 0, 10).get(0);
			assertThat(garbage.id()).isEqualTo("g1");
			assertThat(garbage.payload()).isEqualTo("not a task");
			assertThat(garbage.lastError()).contains("not a Worker task");
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> inspector.runTask("junk", garbage.handle()))
				.withMessageContaining("only be deleted");

			inspector.deleteTask("junk", garbage.handle());
			assertThat(inspector.tasks("junk", TaskState.ARCHIVED, 0, 10)).isEmpty();
		}
	}

	@Test
	void aQueueNeverUsedHasAnEmptyArchive() {
		try (RabbitWorker worker = new RabbitWorker(virtualHost.connectionFactory(), this.settings, "used", 0,
				this.handlers)) {
			assertThat(worker.broker.inspector().tasks("never-used", TaskState.ARCHIVED, 0, 10)).isEmpty();
			assertThat(worker.broker.inspector().queue("never-used").size(TaskState.ARCHIVED)).isZero();
		}
	}

	private static List<String> payloads(List<TaskDetail> tasks) {
		return tasks.stream().map((task) -> task.payload().replace("\"", "")).toList();
	}

	/** Fails every task until its payload is healed, then records it. */
	static final class Handlers {

		final Set<String> healed = ConcurrentHashMap.newKeySet();

		final List<String> completed = new CopyOnWriteArrayList<>();

		@TaskHandler("test:fail")
		public void fail(String payload) {
			if (!this.healed.contains(payload)) {
				throw new IllegalStateException("boom " + payload);
			}
			this.completed.add(payload);
		}

	}


	/**
	 * A stream's message count once RabbitMQ has caught up with it: the count a passive declare
	 * reports lags the stream by up to a few seconds, so it is read until two readings agree.
	 */
	private static long settledCount(String stream) {
		long[] last = { -1 };
		await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
			long count = virtualHost.messageCount(stream);
			boolean settled = count > 0 && count == last[0];
			last[0] = count;
			return settled;
		});
		return last[0];
	}

}
