package io.worker.backend.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.worker.runtime.PayloadCodec;
import io.worker.runtime.TaskExecutor;
import io.worker.spi.Delivery;
import io.worker.spi.TaskMessage;

/**
 * Test support for applications on the in-memory backend: see what was enqueued, and run tasks on
 * the test's own thread. Injected as a bean when {@code worker.backend} is {@code memory}.
 *
 * <pre class="code">
 * &#64;SpringBootTest(properties = "worker.server.enabled=false")
 * class SignupTests {
 *     &#64;Autowired InMemoryTasks tasks;
 *
 *     &#64;Test
 *     void signupSendsWelcomeEmail() {
 *         signupService.signup("ada@example.com");
 *         assertThat(tasks.enqueued("user:welcome-email")).hasSize(1);
 *         tasks.runPending();   // runs the handler here, synchronously
 *     }
 * }
 * </pre>
 */
public final class InMemoryTasks {

	private final InMemoryTaskStore store;

	private final TaskRecorder recorder;

	private final Supplier<TaskExecutor> executor;

	private final PayloadCodec codec;

	public InMemoryTasks(InMemoryTaskStore store, TaskRecorder recorder, Supplier<TaskExecutor> executor,
			PayloadCodec codec) {
		this.store = store;
		this.recorder = recorder;
		this.executor = executor;
		this.codec = codec;
	}

	/** Every task enqueued since the start or the last {@link #clear()}, oldest first. */
	public List<TaskMessage> enqueued() {
		return this.recorder.all();
	}

	/** The tasks of one type enqueued since the start or the last {@link #clear()}, oldest first. */
	public List<TaskMessage> enqueued(String type) {
		return this.recorder.all().stream().filter((message) -> message.type().equals(type)).toList();
	}

	/** The payloads of one type's enqueued tasks, read as the given class. */
	public <T> List<T> payloads(String type, Class<T> payloadType) {
		return enqueued(type).stream().map((message) -> payloadType.cast(this.codec.read(message.payload(), payloadType))).toList();
	}

	/** Forget what was recorded as enqueued (the tasks themselves stay queued). */
	public void clear() {
		this.recorder.clear();
	}

	/**
	 * Run every pending task and every scheduled or retry task already due, on this thread, until none
	 * is left. Paused queues are skipped.
	 * @return how many attempts ran
	 */
	public int runPending() {
		return run(false);
	}

	/**
	 * Run every task, including scheduled ones not yet due and the retries of tasks that fail (until
	 * their retries are used up), on this thread.
	 * @return how many attempts ran
	 */
	public int runAll() {
		return run(true);
	}

	private int run(boolean ignoreDueTimes) {
		int ran = 0;
		while (true) {
			this.store.forwardDue(ignoreDueTimes ? Instant.MAX : this.store.clock.instant());
			Delivery delivery;
			try {
				delivery = this.store.dequeue(this.store.queueNames(), Duration.ZERO);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return ran;
			}
			if (delivery == null) {
				return ran;
			}
			this.executor.get().execute(delivery);
			ran++;
		}
	}

}
