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
		EntityExchangeResult<TaskInfo> result = postSignup("ada@example.com", "Ada");
		assertThat(result.getResponseHeaders().getLocation().getPath()).matches("/users/\\d+");
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
		TaskInfo task = postAccepted("/users/{id}/password-reset", id);
		assertThat(task.type()).isEqualTo("user:password-reset-email");
		assertThat(task.queue()).isEqualTo("critical");
		awaitEmail("grace@example.com", "Reset your password");
	}

	@Test
	void secondExportWhileTheFirstIsQueuedIsAConflict() {
		long id = signup("linus@example.com", "Linus");
		// Paused, the low queue holds the first export, and with it the unique lock
		this.inspector.pauseQueue("low");
		try {
			TaskInfo first = postAccepted("/users/{id}/export", id);
			assertThat(first.queue()).isEqualTo("low");
			this.client.post().uri("/users/{id}/export", id).exchange().expectStatus().isEqualTo(HttpStatus.CONFLICT);
		}
		finally {
			this.inspector.resumeQueue("low");
		}
		awaitEmail("linus@example.com", "Your data export is ready");
	}

	@Test
	void reportIsScheduledAfterTheDelay() {
		long id = signup("barbara@example.com", "Barbara");
		Instant before = Instant.now();
		TaskInfo task = postAccepted("/users/{id}/report?delay=PT1H", id);
		assertThat(task.state()).isEqualTo(TaskState.SCHEDULED);
		assertThat(task.nextProcessAt()).isAfterOrEqualTo(before.plus(Duration.ofHours(1)));
	}

	@Test
	void tasksForAnUnknownUserAreRefused() {
		this.client.post().uri("/users/{id}/export", 999_999).exchange().expectStatus().isNotFound();
	}

	private EntityExchangeResult<TaskInfo> postSignup(String email, String name) {
		return this.client.post()
			.uri("/users/signup")
			.body(new SignupRequest(email, name))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(TaskInfo.class)
			.returnResult();
	}

	private long signup(String email, String name) {
		String path = postSignup(email, name).getResponseHeaders().getLocation().getPath();
		return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
	}

	private TaskInfo postAccepted(String uri, long userId) {
		return this.client.post()
			.uri(uri, userId)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(TaskInfo.class)
			.returnResult()
			.getResponseBody();
	}

	private void awaitEmail(String to, String subject) {
		await().atMost(HANDLED_WITHIN)
			.untilAsserted(() -> assertThat(this.emailSender.sentTo(to)).map(SentEmail::subject).contains(subject));
	}

}
