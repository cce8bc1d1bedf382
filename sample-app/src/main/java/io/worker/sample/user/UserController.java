package io.worker.sample.user;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskConflictException;
import io.worker.TaskEnqueueException;
import io.worker.TaskInfo;
import io.worker.sample.user.UserTasks.DataExport;
import io.worker.sample.user.UserTasks.PasswordResetEmail;
import io.worker.sample.user.UserService.Signup;
import io.worker.sample.user.UserTasks.UserReport;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The user API. Every slow step is enqueued as a task, so requests return at once with the
 * {@link TaskInfo} of what was enqueued.
 */
@RestController
@RequestMapping("/users")
class UserController {

	private final UserRepository users;

	private final UserService userService;

	private final TaskClient taskClient;

	UserController(UserRepository users, UserService userService, TaskClient taskClient) {
		this.users = users;
		this.userService = userService;
		this.taskClient = taskClient;
	}

	@PostMapping("/signup")
	ResponseEntity<TaskInfo> signup(@RequestBody SignupRequest request) {
		if (isBlank(request.email()) || isBlank(request.name())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "email and name are required");
		}
		Signup signup = this.userService.signup(request.email(), request.name());
		return ResponseEntity.created(URI.create("/users/" + signup.user().id())).body(signup.welcomeEmail());
	}

	@GetMapping("/{id}")
	User user(@PathVariable long id) {
		return find(id);
	}

	@PostMapping("/{id}/password-reset")
	@ResponseStatus(HttpStatus.ACCEPTED)
	TaskInfo passwordReset(@PathVariable long id) {
		User user = find(id);
		PasswordResetEmail email = new PasswordResetEmail(user.id(), user.email(), UUID.randomUUID().toString());
		// A user locked out of their account waits for this one: critical is the queue read most often
		return this.taskClient.enqueue(Task.of(UserTasks.PASSWORD_RESET_EMAIL, email).queue("critical"));
	}

	@PostMapping("/{id}/export")
	@ResponseStatus(HttpStatus.ACCEPTED)
	TaskInfo export(@PathVariable long id) {
		find(id);
		// Exports are heavy: one per user at a time, and kept a day so its result can be read back
		return this.taskClient.enqueue(Task.of(UserTasks.DATA_EXPORT, new DataExport(id))
			.queue("low")
			.unique(Duration.ofMinutes(10))
			.retention(Duration.ofDays(1)));
	}

	@PostMapping("/{id}/report")
	@ResponseStatus(HttpStatus.ACCEPTED)
	TaskInfo report(@PathVariable long id, @RequestParam(defaultValue = "PT1M") Duration delay) {
		find(id);
		return this.taskClient.enqueue(Task.of(UserTasks.REPORT, new UserReport(id)).processIn(delay));
	}

	@ExceptionHandler
	ProblemDetail conflict(TaskConflictException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	/** The backend refused the task (it is unreachable, or cannot do what the task asks): say why. */
	@ExceptionHandler
	ProblemDetail notEnqueued(TaskEnqueueException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	private User find(long id) {
		return this.users.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No user " + id));
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	/**
	 * The body of a signup request.
	 *
	 * @param email the new user's email address
	 * @param name the new user's display name
	 */
	record SignupRequest(String email, String name) {
	}

}
