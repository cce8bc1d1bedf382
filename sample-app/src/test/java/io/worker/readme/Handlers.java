package io.worker.readme;

import io.worker.TaskContext;
import io.worker.TaskHandler;
import io.worker.readme.ReadmeTypes.DataExport;
import io.worker.readme.ReadmeTypes.InvalidAddressException;
import io.worker.readme.ReadmeTypes.PasswordResetEmail;
import io.worker.readme.ReadmeTypes.UserExport;
import io.worker.readme.ReadmeTypes.UserExporter;

/**
 * The README's handler snippets beyond the quick start's.
 */
class Handlers {

	private final EmailSender emailSender;

	private final UserExporter exporter;

	Handlers(EmailSender emailSender, UserExporter exporter) {
		this.emailSender = emailSender;
		this.exporter = exporter;
	}

	// retries and backoff
	@TaskHandler(value = "user:password-reset-email", maxRetries = 5, timeout = "30s",
			noRetryFor = InvalidAddressException.class)
	public void sendPasswordResetEmail(PasswordResetEmail email) {
		this.emailSender.send(email.email(), "Reset your password: " + email.link());
	}

	// dead letter and the inspector: progress
	@TaskHandler("user:data-export")
	public UserExport exportData(DataExport export, TaskContext context) {
		context.reportProgress(50, "Collecting emails");
		UserExport result = this.exporter.export(export.userId());
		return result;   // kept as the task's result when the task has a retention (Task.retention)
	}

}
