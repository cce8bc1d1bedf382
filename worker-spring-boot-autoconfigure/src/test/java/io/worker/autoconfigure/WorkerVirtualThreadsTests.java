package io.worker.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.worker.TaskClient;
import io.worker.TaskHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handlers run on virtual threads with Boot's {@code spring.threads.virtual.enabled} on Java 21 or
 * later, and on platform threads otherwise. The build runs these tests on Java 17 (platform
 * threads); run them on a Java 21+ JDK to see the virtual ones.
 */
class WorkerVirtualThreadsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class))
		.withUserConfiguration(ThreadRecordingHandler.class);

	@Test
	void handlersRunOnVirtualThreadsWhenBootsSwitchIsOnAndTheJvmHasThem() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(isVirtual(handlerThread(context.getBean(TaskClient.class),
					context.getBean(ThreadRecordingHandler.class))))
				.isEqualTo(Runtime.version().feature() >= 21));
	}

	@Test
	void handlersRunOnPlatformThreadsByDefault() {
		this.contextRunner.run((context) -> {
			Thread thread = handlerThread(context.getBean(TaskClient.class), context.getBean(ThreadRecordingHandler.class));
			assertThat(isVirtual(thread)).isFalse();
			assertThat(thread.getName()).startsWith("worker-");
		});
	}

	private static Thread handlerThread(TaskClient client, ThreadRecordingHandler handler) throws Exception {
		client.enqueue("thread:record", "x");
		return handler.thread.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
	}

	/** {@code Thread.isVirtual()} where the JVM has it (Java 21+); the bytecode stays Java 17. */
	private static boolean isVirtual(Thread thread) throws Exception {
		if (Runtime.version().feature() < 21) {
			return false;
		}
		return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

	static class ThreadRecordingHandler {

		final CompletableFuture<Thread> thread = new CompletableFuture<>();

		@TaskHandler("thread:record")
		void record(String payload) {
			this.thread.complete(Thread.currentThread());
		}

	}

}
