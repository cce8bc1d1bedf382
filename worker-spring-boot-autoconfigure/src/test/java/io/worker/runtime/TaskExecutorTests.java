package io.worker.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.SkipRetryException;
import io.worker.Task;
import io.worker.TaskContext;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskState;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How one attempt ends and how the task is settled: success, retry with backoff, archive, timeout,
 * deadline, cancel.
 */
class TaskExecutorTests {

	private final RuntimeFixture fixture = new RuntimeFixture();

	private final Handlers handlers = new Handlers();

	TaskExecutorTests() {
		this.fixture.handlers(this.handlers);
	}

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void successfulTaskIsDeletedWithoutRetention() throws Exception {
		String id = this.fixture.client().enqueue("greet", new Greeting("ada")).id();
		this.fixture.runNext("default");
		assertThat(this.handlers.greeted).containsExactly("ada");
		assertThat(this.fixture.store.inspector().task("default", id)).isEmpty();
	}

	@Test
	void resultIsKeptWithRetention() throws Exception {
		String id = this.fixture.client()
			.enqueue(Task.of("sum", Map.of("a", 2, "b", 40)).retention(Duration.ofMinutes(1)))
			.id();
		this.fixture.runNext("default");
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
		assertThat(task.result()).isEqualTo("42");
	}

	@Test
	void failingTaskIsRetriedWithExponentialBackoffThenArchived() throws Exception {
		Instant start = this.fixture.clock.instant();
		String id = this.fixture.client().enqueue("fail", "boom").id();
		this.fixture.runNext("default");
		TaskDetail first = this.fixture.task("default", id);
		assertThat(first.state()).isEqualTo(TaskState.RETRY);
		assertThat(first.retried()).isEqualTo(1);
		assertThat(first.lastError()).isEqualTo("java.lang.IllegalStateException: boom");
		assertThat(first.nextProcessAt()).isEqualTo(start.plusSeconds(1));
		this.fixture.forwardTo(first);
		this.fixture.runNext("default");
		TaskDetail second = this.fixture.task("default", id);
		assertThat(second.retried()).isEqualTo(2);
		assertThat(second.nextProcessAt()).isEqualTo(first.nextProcessAt().plusSeconds(2));
		this.fixture.forwardTo(second);
		this.fixture.runNext("default");
		TaskDetail third = this.fixture.task("default", id);
		assertThat(third.nextProcessAt()).isEqualTo(second.nextProcessAt().plusSeconds(4));
		this.fixture.forwardTo(third);
		this.fixture.runNext("default");
		TaskDetail archived = this.fixture.task("default", id);
		assertThat(archived.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(archived.retried()).isEqualTo(4);
		assertThat(this.handlers.failures).hasValue(4);
	}

	@Test
	void explicitMaxRetriesOnTheTaskWins() throws Exception {
		String id = this.fixture.client().enqueue(Task.of("fail", "boom").maxRetries(0)).id();
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void configuredMaxRetriesWinOverTheAnnotation() throws Exception {
		this.fixture.options.put("annotated-retries", new TaskTypeOptions(null, null, 0, null, null));
		String id = this.fixture.client().enqueue("annotated-retries", "boom").id();
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void annotationMaxRetriesWinOverTheDefaults() throws Exception {
		String id = this.fixture.client().enqueue("annotated-retries", "boom").id();
		this.fixture.runNext("default");
		TaskDetail retry = this.fixture.task("default", id);
		assertThat(retry.state()).isEqualTo(TaskState.RETRY);
		this.fixture.forwardTo(retry);
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void skipRetryArchivesAtOnce() throws Exception {
		String id = this.fixture.client().enqueue("skip", "x").id();
		this.fixture.runNext("default");
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(task.retried()).isZero();
		assertThat(task.lastError()).isEqualTo("not worth retrying");
	}

	@Test
	void noRetryForExceptionArchivesAtOnce() throws Exception {
		String id = this.fixture.client().enqueue("no-retry-for", "x").id();
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void exceptionOutsideRetryOnArchivesAtOnce() throws Exception {
		String id = this.fixture.client().enqueue("retry-on", "state").id();
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
		String retried = this.fixture.client().enqueue("retry-on", "argument").id();
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", retried).state()).isEqualTo(TaskState.RETRY);
	}

	@Test
	void configuredNonRetryableExceptionArchivesAtOnce() throws Exception {
		this.fixture.defaults = new TaskDefaults("default", 3, Duration.ofSeconds(30), Backoff.DEFAULT,
				List.of(IllegalStateException.class));
		String id = this.fixture.client().enqueue("fail", "boom").id();
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void malformedPayloadIsArchivedWithTheParseErrorAndNeverRetried() throws Exception {
		String id = enqueueRaw("greet", "{\"name\": [1, 2".getBytes());
		this.fixture.runNext("default");
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(task.retried()).isZero();
		assertThat(task.lastError()).startsWith("Cannot read payload as io.worker.runtime.TaskExecutorTests$Greeting");
		assertThat(this.handlers.greeted).isEmpty();
	}

	@Test
	void payloadOfTheWrongShapeIsArchived() throws Exception {
		String id = enqueueRaw("sum", "\"not a map\"".getBytes());
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
	}

	@Test
	void taskWithoutHandlerIsRetriedThenArchivedWithReason() throws Exception {
		String id = this.fixture.client().enqueue(Task.of("nobody:handles", "x").maxRetries(1)).id();
		this.fixture.runNext("default");
		TaskDetail retry = this.fixture.task("default", id);
		assertThat(retry.state()).isEqualTo(TaskState.RETRY);
		assertThat(retry.lastError()).contains("no handler for task type 'nobody:handles'");
		this.fixture.forwardTo(retry);
		this.fixture.runNext("default");
		TaskDetail archived = this.fixture.task("default", id);
		assertThat(archived.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(archived.lastError()).contains("no handler");
	}

	@Test
	void taskOfDisabledTypeThatStillArrivesIsArchivedNotRun() throws Exception {
		String id = enqueueRaw("greet", "{\"name\":\"ada\"}".getBytes());
		this.fixture.options.put("greet", new TaskTypeOptions(false, null, null, null, null));
		this.fixture.runNext("default");
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(task.lastError()).contains("disabled");
		assertThat(this.handlers.greeted).isEmpty();
	}

	@Test
	void handlerPastItsTimeoutIsInterruptedAndRetried() throws Exception {
		String id = this.fixture.client().enqueue("block", "x").id();
		this.fixture.runNext("default");
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.RETRY);
		assertThat(task.lastError()).startsWith("timed out after PT0.2S");
		assertThat(this.handlers.interrupted).hasValue(1);
	}

	@Test
	void retryNeverRunsWhileTheTimedOutAttemptIsStillRunning() {
		String id = this.fixture.client().enqueue("stubborn", "x").id();
		CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> {
			try {
				this.fixture.runNext("default");
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.handlers.stubbornInterrupted.getCount() == 0);
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ACTIVE);
		this.handlers.releaseStubborn.countDown();
		attempt.join();
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.RETRY);
	}

	@Test
	void shortTimeoutIsKeptWhileAnAttemptWithALaterAlarmRuns() throws Exception {
		Instant farDeadline = this.fixture.clock.instant().plus(Duration.ofHours(1));
		String longId = this.fixture.client().enqueue(Task.of("block-long", "x").deadline(farDeadline)).id();
		CompletableFuture<Void> longAttempt = CompletableFuture.runAsync(() -> {
			try {
				this.fixture.runNext("default");
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.activeTasks.size() == 1);
		// the watchdog sleeps until the hour-long alarm: the earlier one must wake it
		String shortId = this.fixture.client().enqueue("block", "x").id();
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", shortId).lastError()).startsWith("timed out after PT0.2S");
		assertThat(this.fixture.task("default", longId).state()).isEqualTo(TaskState.ACTIVE);
		this.fixture.activeTasks.cancel(longId);
		longAttempt.join();
	}

	@Test
	void handlerPastTheDeadlineIsInterruptedAndArchived() throws Exception {
		Instant deadline = this.fixture.clock.instant().plusMillis(200);
		String id = this.fixture.client().enqueue(Task.of("block-long", "x").deadline(deadline)).id();
		this.fixture.runNext("default");
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(task.lastError()).startsWith("deadline exceeded");
	}

	@Test
	void taskPastItsDeadlineIsArchivedWithoutRunning() throws Exception {
		Instant deadline = this.fixture.clock.instant().plusSeconds(1);
		String id = this.fixture.client().enqueue(Task.of("greet", new Greeting("late")).deadline(deadline)).id();
		this.fixture.clock.advance(Duration.ofSeconds(2));
		this.fixture.runNext("default");
		assertThat(this.fixture.task("default", id).state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(this.handlers.greeted).isEmpty();
	}

	@Test
	void cancelledTaskIsInterruptedAndArchivedNotRetried() {
		String id = this.fixture.client().enqueue("block-long", "x").id();
		CompletableFuture<Void> attempt = CompletableFuture.runAsync(() -> {
			try {
				this.fixture.runNext("default");
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.fixture.activeTasks.size() == 1);
		this.fixture.store.inspector().cancelTask(id);
		attempt.join();
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.ARCHIVED);
		assertThat(task.lastError()).isEqualTo("cancelled");
	}

	@Test
	void errorThrownByHandlerFailsTheAttemptInsteadOfTheWorker() throws Exception {
		String id = this.fixture.client().enqueue("error", "x").id();
		this.fixture.runNext("default");
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.RETRY);
		assertThat(task.lastError()).contains("java.lang.AssertionError: broken invariant");
	}

	@Test
	void interceptorsSeeTheTaskInTheMdc() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		this.fixture.extraInterceptors.add((context, chain) -> {
			seen.add(MDC.get("task_id") + "/" + MDC.get("task_type") + "/" + MDC.get("queue"));
			return chain.proceed();
		});
		String id = this.fixture.client().enqueue("greet", new Greeting("ada")).id();
		this.fixture.runNext("default");
		assertThat(seen).containsExactly(id + "/greet/default");
		assertThat(MDC.get("task_id")).isNull();
	}

	@Test
	void contextCarriesAttemptAndProgressIsStored() throws Exception {
		String id = this.fixture.client().enqueue(Task.of("progress", "x").retention(Duration.ofMinutes(1))).id();
		this.fixture.runNext("default");
		assertThat(this.handlers.attempts).containsExactly(1);
		TaskDetail task = this.fixture.task("default", id);
		assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
	}

	private String enqueueRaw(String type, byte[] payload) {
		TaskMessage message = TaskMessage.builder("raw-" + System.nanoTime(), type, "default")
			.payload(payload)
			.enqueuedAt(this.fixture.clock.instant())
			.build();
		return this.fixture.store.enqueue(List.of(new EnqueueRequest(message, null))).get(0).info().id();
	}

	record Greeting(String name) {
	}

	static class Handlers {

		final List<String> greeted = new CopyOnWriteArrayList<>();

		final AtomicInteger failures = new AtomicInteger();

		final AtomicInteger interrupted = new AtomicInteger();

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		final CountDownLatch stubbornInterrupted = new CountDownLatch(1);

		final CountDownLatch releaseStubborn = new CountDownLatch(1);

		@TaskHandler("greet")
		void greet(Greeting greeting) {
			this.greeted.add(greeting.name());
		}

		@TaskHandler("sum")
		int sum(Map<String, Integer> numbers) {
			return numbers.values().stream().mapToInt(Integer::intValue).sum();
		}

		@TaskHandler("fail")
		void fail(String message) {
			this.failures.incrementAndGet();
			throw new IllegalStateException(message);
		}

		@TaskHandler(type = "annotated-retries", maxRetries = 1)
		void annotatedRetries(String message) {
			throw new IllegalStateException(message);
		}

		@TaskHandler("skip")
		void skip(String ignored) {
			throw new SkipRetryException("not worth retrying");
		}

		@TaskHandler(type = "no-retry-for", noRetryFor = UnsupportedOperationException.class)
		void noRetryFor(String ignored) {
			throw new UnsupportedOperationException("never");
		}

		@TaskHandler(type = "retry-on", retryOn = IllegalArgumentException.class)
		void retryOn(String kind) {
			if (kind.equals("argument")) {
				throw new IllegalArgumentException("retry me");
			}
			throw new IllegalStateException("do not retry me");
		}

		@TaskHandler(type = "block", timeout = "200ms")
		void block(String ignored) throws InterruptedException {
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				this.interrupted.incrementAndGet();
				throw ex;
			}
		}

		@TaskHandler("block-long")
		void blockLong(String ignored) throws InterruptedException {
			new CountDownLatch(1).await();
		}

		@TaskHandler(type = "stubborn", timeout = "100ms")
		void stubborn(String ignored) {
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				this.stubbornInterrupted.countDown();
				try {
					this.releaseStubborn.await();
				}
				catch (InterruptedException again) {
					Thread.currentThread().interrupt();
				}
			}
		}

		@TaskHandler("error")
		void error(String ignored) {
			throw new AssertionError("broken invariant");
		}

		@TaskHandler("progress")
		String progress(String ignored, TaskContext context) {
			this.attempts.add(context.attempt());
			context.reportProgress(50, "half way");
			return "done";
		}

	}

}
