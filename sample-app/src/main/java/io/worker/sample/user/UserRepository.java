package io.worker.sample.user;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * Keeps users in memory: the sample is about background tasks, not persistence.
 */
@Component
public class UserRepository {

	private final AtomicLong ids = new AtomicLong();

	private final Map<Long, User> users = new ConcurrentHashMap<>();

	public User create(String email, String name) {
		User user = new User(this.ids.incrementAndGet(), email, name);
		this.users.put(user.id(), user);
		return user;
	}

	public Optional<User> findById(long id) {
		return Optional.ofNullable(this.users.get(id));
	}

	public List<User> findAll() {
		return List.copyOf(this.users.values());
	}

}
