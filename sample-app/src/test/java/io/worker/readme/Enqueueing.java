package io.worker.readme;

import java.time.Duration;
import java.time.Instant;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskConflictException;
import io.worker.TaskInfo;
import io.worker.readme.ReadmeTypes.DailyReport;
import io.worker.readme.ReadmeTypes.DataExport;
import io.worker.readme.ReadmeTypes.User;
import io.worker.readme.ReadmeTypes.UserReport;

/**
 * The README's enqueue snippets, each in the method of its section.
 */
class Enqueueing {

	// quick start
	TaskInfo enqueue(TaskClient taskClient, User user) {
		TaskInfo task = taskClient.enqueue("user:welcome-email", new WelcomeEmail(user.id(), user.email(), user.name()));

		// with options
		taskClient.enqueue(Task.of("user:data-export", new DataExport(user.id()))
			.queue("low")
			.unique(Duration.ofMinutes(10))
			.maxRetries(3));
		return task;
	}

	// timeouts and deadlines
	void deadline(TaskClient taskClient, DailyReport request) {
		taskClient.enqueue(Task.of("report:daily", request).deadline(Instant.now().plus(Duration.ofHours(1))));
	}

	// delayed tasks
	void delayed(TaskClient taskClient, long id, Instant tomorrowAtNine) {
		taskClient.enqueue(Task.of("user:report", new UserReport(id)).processIn(Duration.ofMinutes(1)));
		taskClient.enqueue(Task.of("user:report", new UserReport(id)).processAt(tomorrowAtNine));
	}

	// unique tasks
	void unique(TaskClient taskClient, long userId) {
		try {
			taskClient.enqueue(Task.of("user:data-export", new DataExport(userId)).unique(Duration.ofMinutes(10)));
		}
		catch (TaskConflictException ex) {
			// an export for this user is already queued or running
		}
	}

}
