package io.worker.backend.rabbitmq;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.worker.Task;
import io.worker.TaskState;
import io.worker.backend.rabbitmq.RabbitCrashChild.Journal;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import io.worker.testsupport.TestRabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker server in another JVM, on the test's virtual host, killed with SIGKILL mid-task:
 * RabbitMQ sees its connection drop and delivers its unacknowledged tasks again, a second server
 * finishes them with a delivery count above one, and none of 1,000 tasks is lost. Delivery is at
 * least once, so tasks are counted by distinct payload.
 */
class RabbitCrashTests {

	private static final Logger logger = LoggerFactory.getLogger(RabbitCrashTests.class);

	private static final Duration WAIT = Duration.ofMinutes(2);

	private static final int TASKS = 1000;

	/** {@link RabbitWorker}'s pool: the tasks the child holds blocked at the kill. */
	private static final int CONCURRENCY = 4;

	private static final int BLOCK_AFTER = 300;

	private static final String QUEUE = "crash";

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private final String prefix = "k" + System.nanoTime();

	@TempDir
	Path dir;

	static RabbitSettings settings(String prefix) {
		return RabbitSettings.defaults().withPrefix(prefix).withConfirmTimeout(Duration.ofSeconds(5));
	}

	@Test
	void tasksOfAWorkerKilledMidTaskAreDeliveredAgainToAnotherAndNoneIsLost() throws Exception {
		Path childJournal = this.dir.resolve("child.journal");
		Path survivorJournal = this.dir.resolve("survivor.journal");
		RabbitSettings settings = settings(this.prefix);
		Set<String> payloads = IntStream.range(0, TASKS).mapToObj((i) -> "t" + i).collect(Collectors.toSet());
		try (RabbitWorker survivor = new RabbitWorker(virtualHost.connectionFactory(), settings, QUEUE, 3,
				new RabbitCrashChild.Handlers(survivorJournal, Integer.MAX_VALUE))) {
			survivor.client.enqueueAll(payloads.stream().map((payload) -> Task.of(RabbitCrashChild.TYPE, payload)).toList());

			Process child = startChild(childJournal);
			try {
				await().atMost(WAIT).until(() -> Journal.read(childJournal).blocked().size() == CONCURRENCY);
			}
			finally {
				child.destroyForcibly();
			}
			assertThat(child.waitFor()).isEqualTo(137);
			Journal beforeKill = Journal.read(childJournal);
			Set<String> heldAtKill = beforeKill.blocked();
			assertThat(heldAtKill).hasSize(CONCURRENCY).doesNotContainAnyElementsOf(beforeKill.done());
			assertThat(beforeKill.done()).hasSizeGreaterThanOrEqualTo(BLOCK_AFTER).hasSizeLessThan(TASKS);
			assertThat(beforeKill.attempts().values()).allSatisfy((attempts) -> assertThat(attempts).containsExactly(1));

			survivor.start();
			await().atMost(WAIT).until(() -> done(childJournal, survivorJournal).size() == TASKS);
			survivor.server.stop();

			assertThat(done(childJournal, survivorJournal)).isEqualTo(payloads);
			// the survivor's channels are closed: anything unacknowledged would be ready again
			assertThat(virtualHost.messageCount(settings.prefix() + ".queue." + QUEUE)).isZero();
			assertThat(survivor.broker.inspector().queue(QUEUE).size(TaskState.ARCHIVED)).isZero();
			Journal after = Journal.read(survivorJournal);
			assertThat(after.done()).containsAll(heldAtKill);
			for (String held : heldAtKill) {
				assertThat(after.attempts().get(held)).as("the attempts of %s, held at the kill", held)
					.allSatisfy((attempt) -> assertThat(attempt).isGreaterThanOrEqualTo(2));
			}
			// a task the child had started and the survivor ran again came back as a redelivery
			Set<String> redelivered = after.attempts()
				.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().stream().anyMatch((attempt) -> attempt > 1))
				.map(Map.Entry::getKey)
				.collect(Collectors.toSet());
			Set<String> ranTwice = new HashSet<>(beforeKill.attempts().keySet());
			ranTwice.retainAll(after.attempts().keySet());
			logger.info("{} distinct tasks completed, {} by the killed worker; held at the kill: {}; delivered again "
					+ "(attempt > 1): {}; started in both JVMs: {}", TASKS, beforeKill.done().size(), heldAtKill,
					redelivered.size(), ranTwice.size());
			assertThat(redelivered).containsAll(ranTwice);
		}
	}

	private static Set<String> done(Path... journals) {
		Set<String> done = new HashSet<>();
		for (Path journal : journals) {
			done.addAll(Journal.read(journal).done());
		}
		return done;
	}

	private Process startChild(Path journal) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
				RabbitCrashChild.class.getName(), TestRabbit.address().host(),
				Integer.toString(TestRabbit.address().port()),
				virtualHost.name(), this.prefix, QUEUE, Integer.toString(BLOCK_AFTER), journal.toString()))
			.redirectErrorStream(true)
			.redirectOutput(new File(this.dir.toFile(), "child.log"))
			.start();
	}

}
