package io.worker.sample.user;

import java.time.Duration;
import java.time.Instant;

import io.worker.TaskInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.sample.user.EmailSender.SentEmail;
import io.worker.sample.user.UserController.SignupRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample over real HTTP, with the in-memory backend and a running worker server.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class UserApiTests {

	private static final Duration HANDLED_WITHIN = Duration.ofSeconds(10);

	@Autowired
	private RestTestClient client;

	@Autowired
	private EmailSender emailSender;

	@Autowired
	private TaskInspector inspector;

	@Test
	void signupSendsWelcomeEmail() {
		EntityExchangeResult<TaskInfo> result = this.client.post()
			.uri("/users/signup")
			.body(new SignupRequest("ada@example.com", "Ada"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(TaskInfo.class)
			.returnResult();
		assertThat(result.getResponseHeaders().getLocation()).hasPath("/users/" + userId(result));
		TaskInfo task = result.getResponseBody();
		assertThat(task.type()).isEqualTo("user:welcome-email");
		assertThat(task.queue()).isEqualTo("default");
		await().atMost(HANDLED_WITHIN)
			.untilAsserted(() -> assertThat(this.emailSender.sentTo("ada@example.com")).map(SentEmail::subject)
				.containsExactly("Welcome, Ada!"));
	}

	@Test
	void passwordResetGoesToTheCriticalQueue() {
		long id = signup("grace@example.com", "Grace");
		TaskInfo task = this.client.post()
			.uri("/users/{id}/password-reset", id)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(TaskInfo.class)
			.returnResult()
			.getResponseBody();
		assertThat(task.type()).isEqualTo("user:password-reset-email");
		assertThat(task.queue()).isEqualTo("critical");
		await().atMost(HANDLED_WITHIN)
			.untilAsserted(() -> assertThat(this.emailSender.sentTo("grace@example.com")).map(SentEmail::subject)
				.contains("Reset your password"));
	}

	@Test
	void secondExportWhileTheFirstIsQueuedIsAConflict() {
		long id = signup("linus@example.com", "Linus");
		// Paused, the low queue holds the first export, and with it the unique lock
		this.inspector.pauseQueue("low");
		try {
			TaskInfo first = this.client.post()
				.uri("/users/{id}/export", id)
				.exchange()
				.expectStatus()
				.isAccepted()
				.expectBody(TaskInfo.class)
				.returnResult()
				.getResponseBody();
			assertThat(first.queue()).isEqualTo("low");
			this.client.post().uri("/users/{id}/export", id).exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);
		}
		finally {
			this.inspector.resumeQueue("low");
		}
		await().atMost(HANDLED_WITHIN)
			.untilAsserted(() -> assertThat(this.emailSender.sentTo("linus@example.com")).map(SentEmail::subject)
				.contains("Your data export is ready"));
	}

	@Test
	void reportIsScheduledAfterTheDelay() {
		long id = signup("barbara@example.com", "Barbara");
		Instant before = Instant.now();
		TaskInfo task = this.client.post()
			.uri("/users/{id}/report?delay=PT1H", id)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(TaskInfo.class)
			.returnResult()
			.getResponseBody();
		assertThat(task.state()).isEqualTo(TaskState.SCHEDULED);
		assertThat(task.nextProcessAt()).isAfterOrEqualTo(before.plus(Duration.ofHours(1)));
	}

	@Test
	void tasksForAnUnknownUserAreRefused() {
		this.client.post().uri("/users/{id}/export", 999_999).exchange().expectStatus().isNotFound();
	}

	private long signup(String email, String name) {
		return userId(this.client.post()
			.uri("/users/signup")
			.body(new SignupRequest(email, name))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(TaskInfo.class)
			.returnResult());
	}

	private static long userId(EntityExchangeResult<?> signup) {
		String path = signup.getResponseHeaders().getLocation().getPath();
		return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
	}

}
