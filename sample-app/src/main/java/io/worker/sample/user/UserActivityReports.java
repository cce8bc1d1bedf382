package io.worker.sample.user;

import java.util.List;

import io.worker.Recurring;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.sample.user.UserTasks.UserReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The weekly user activity report: a recurring task that fans out one report task per user. Each
 * Monday's tick is enqueued once, however many instances of the sample run.
 */
@Component
public class UserActivityReports {

	static final String ACTIVITY_REPORT = "user:activity-report";

	private static final Logger logger = LoggerFactory.getLogger(UserActivityReports.class);

	private final UserRepository users;

	private final TaskClient taskClient;

	public UserActivityReports(UserRepository users, TaskClient taskClient) {
		this.users = users;
		this.taskClient = taskClient;
	}

	@TaskHandler(ACTIVITY_REPORT)
	@Recurring(name = "user-activity-report", cron = "0 0 6 * * MON", zone = "Europe/Berlin",
			payload = "{\"days\": 7}")
	public void sendActivityReports(ActivityReportRequest request) {
		List<User> all = this.users.findAll();
		logger.info("Sending the activity report of the last {} days to {} users", request.days(), all.size());
		if (!all.isEmpty()) {
			this.taskClient.enqueueAll(all.stream()
				.map((user) -> Task.of(UserTasks.REPORT, new UserReport(user.id())))
				.toList());
		}
	}

	/**
	 * Payload of {@value #ACTIVITY_REPORT}.
	 *
	 * @param days how many days the report covers
	 */
	public record ActivityReportRequest(int days) {
	}

}
