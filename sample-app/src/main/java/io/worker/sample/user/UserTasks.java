package io.worker.sample.user;

import java.time.Instant;
import java.util.List;

import io.worker.SkipRetryException;
import io.worker.TaskContext;
import io.worker.TaskHandler;
import io.worker.sample.user.EmailSender.SentEmail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The user module's background tasks. Each payload is a record, written as JSON when the task is
 * enqueued and read back when it runs, possibly on another instance.
 */
@Component
public class UserTasks {

	static final String WELCOME_EMAIL = "user:welcome-email";

	static final String PASSWORD_RESET_EMAIL = "user:password-reset-email";

	static final String DATA_EXPORT = "user:data-export";

	static final String REPORT = "user:report";

	private static final Logger logger = LoggerFactory.getLogger(UserTasks.class);

	private final UserRepository users;

	private final EmailSender emailSender;

	public UserTasks(UserRepository users, EmailSender emailSender) {
		this.users = users;
		this.emailSender = emailSender;
	}

	@TaskHandler(WELCOME_EMAIL)
	public void sendWelcomeEmail(WelcomeEmail email) {
		logger.info("Sending welcome email to {}", email.email());
		this.emailSender.send(email.email(), "Welcome, " + email.name() + "!", "Thanks for signing up.");
	}

	// A reset link is only worth sending soon after it was asked for: few retries, short attempts
	@TaskHandler(value = PASSWORD_RESET_EMAIL, maxRetries = 5, timeout = "30s")
	public void sendPasswordResetEmail(PasswordResetEmail email) {
		logger.info("Sending password reset email to {}", email.email());
		this.emailSender.send(email.email(), "Reset your password",
				"Follow https://example.com/reset?token=" + email.token() + " to choose a new password.");
	}

	@TaskHandler(value = DATA_EXPORT, timeout = "10m")
	public UserExport exportData(DataExport export, TaskContext context) {
		User user = requireUser(export.userId());
		logger.info("Exporting the data of user {} (attempt {})", user.id(), context.attempt());
		context.reportProgress(0, "Collecting emails");
		List<SentEmail> emails = this.emailSender.sentTo(user.email());
		context.reportProgress(80, "Notifying " + user.email());
		this.emailSender.send(user.email(), "Your data export is ready",
				"It holds your profile and " + emails.size() + " emails.");
		context.reportProgress(100, "Done");
		// Returned as the task's result, readable through the inspector while the task is retained
		return new UserExport(user, emails, Instant.now());
	}

	@TaskHandler(REPORT)
	public void sendReport(UserReport report) {
		User user = requireUser(report.userId());
		logger.info("Sending activity report to {}", user.email());
		int emails = this.emailSender.sentTo(user.email()).size();
		this.emailSender.send(user.email(), "Your activity report", "We have sent you " + emails + " emails so far.");
	}

	// A task can outlive its user (with the redis profile, tasks survive a restart and these
	// in-memory users do not): retrying would not bring the user back
	private User requireUser(long id) {
		return this.users.findById(id).orElseThrow(() -> new SkipRetryException("User " + id + " no longer exists"));
	}

	/**
	 * Payload of {@value #WELCOME_EMAIL}.
	 *
	 * @param userId the new user's id
	 * @param email where to send the email
	 * @param name how to greet the user
	 */
	public record WelcomeEmail(long userId, String email, String name) {
	}

	/**
	 * Payload of {@value #PASSWORD_RESET_EMAIL}. The token is made when the reset is asked for, not
	 * in the handler, so that every retry sends the same link.
	 *
	 * @param userId the user's id
	 * @param email where to send the email
	 * @param token the reset token
	 */
	public record PasswordResetEmail(long userId, String email, String token) {
	}

	/**
	 * Payload of {@value #DATA_EXPORT}: only the id, so that two requests for the same user make
	 * the same payload and the unique lock can tell them apart from requests for other users.
	 *
	 * @param userId the user whose data to export
	 */
	public record DataExport(long userId) {
	}

	/**
	 * Payload of {@value #REPORT}.
	 *
	 * @param userId the user to report to
	 */
	public record UserReport(long userId) {
	}

	/**
	 * Result of {@value #DATA_EXPORT}.
	 *
	 * @param user the user's profile
	 * @param emails the emails sent to the user
	 * @param exportedAt when the export was made
	 */
	public record UserExport(User user, List<SentEmail> emails, Instant exportedAt) {
	}

}
