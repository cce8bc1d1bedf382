package io.worker.sample.user;

import io.worker.TaskClient;
import io.worker.TaskInfo;
import io.worker.sample.user.UserTasks.WelcomeEmail;

import org.springframework.stereotype.Service;

/**
 * Signs users up. Only storing the user happens in the request: the welcome email is a task.
 */
@Service
public class UserService {

	private final UserRepository users;

	private final TaskClient taskClient;

	public UserService(UserRepository users, TaskClient taskClient) {
		this.users = users;
		this.taskClient = taskClient;
	}

	/**
	 * Create a user and enqueue their welcome email.
	 * @param email the new user's email address
	 * @param name the new user's display name
	 * @return the user and the enqueued welcome email
	 */
	public Signup signup(String email, String name) {
		User user = this.users.create(email, name);
		TaskInfo welcomeEmail = this.taskClient.enqueue(UserTasks.WELCOME_EMAIL,
				new WelcomeEmail(user.id(), user.email(), user.name()));
		return new Signup(user, welcomeEmail);
	}

	/**
	 * A user who signed up.
	 *
	 * @param user the new user
	 * @param welcomeEmail the welcome email task
	 */
	public record Signup(User user, TaskInfo welcomeEmail) {
	}

}
