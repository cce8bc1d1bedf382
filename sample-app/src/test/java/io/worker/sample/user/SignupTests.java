package io.worker.sample.user;

import io.worker.backend.memory.InMemoryTasks;
import io.worker.sample.user.UserTasks.WelcomeEmail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

// README, testing your handlers: the example as it runs against the sample
@SpringBootTest(properties = "worker.server.enabled=false")
class SignupTests {

	@Autowired
	UserService userService;

	@Autowired
	InMemoryTasks tasks;

	@BeforeEach
	void forget() {
		this.tasks.clear();
	}

	@Test
	void signupEnqueuesAndSendsTheWelcomeEmail() {
		this.userService.signup("ada@example.com", "Ada");

		assertThat(this.tasks.enqueued("user:welcome-email")).hasSize(1);
		assertThat(this.tasks.payloads("user:welcome-email", WelcomeEmail.class))
			.extracting(WelcomeEmail::email).containsExactly("ada@example.com");

		this.tasks.runPending();   // runs the handler here, through retries, timeouts and interceptors
	}

}
