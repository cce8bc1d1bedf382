package io.worker.readme;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.worker.TaskClient;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's quick start runs as written: its handler, given an {@link EmailSender}, sends the
 * welcome email that its enqueue asks for.
 */
class ReadmeQuickStartTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class))
		.withUserConfiguration(UserTasks.class);

	@Test
	void welcomeEmailIsSentByTheHandler() {
		List<String> sent = new CopyOnWriteArrayList<>();
		this.contextRunner.withBean(EmailSender.class, () -> (to, subject) -> sent.add(to + ": " + subject))
			.run((context) -> {
				context.getBean(TaskClient.class)
					.enqueue("user:welcome-email", new WelcomeEmail(1, "ada@example.com", "Ada"));
				await().untilAsserted(() -> assertThat(sent).containsExactly("ada@example.com: Welcome, Ada!"));
			});
	}

}
