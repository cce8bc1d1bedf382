package io.worker.readme;

import io.worker.TaskHandler;

import org.springframework.stereotype.Component;

// README, quick start
@Component
public class UserTasks {

	private final EmailSender emailSender;

	public UserTasks(EmailSender emailSender) {
		this.emailSender = emailSender;
	}

	@TaskHandler("user:welcome-email")
	public void sendWelcomeEmail(WelcomeEmail email) {
		this.emailSender.send(email.email(), "Welcome, " + email.name() + "!");
	}

}
