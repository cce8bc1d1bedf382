package io.worker.runtime;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The handlers this instance has, by task type.
 */
public final class TaskHandlerRegistry {

	private final Map<String, TaskHandlerMethod> handlers = new ConcurrentHashMap<>();

	private volatile int version;

	/**
	 * Add a handler.
	 * @throws IllegalStateException when another handler already has its type
	 */
	public void register(TaskHandlerMethod handler) {
		TaskHandlerMethod existing = this.handlers.putIfAbsent(handler.type(), handler);
		if (existing != null) {
			throw new IllegalStateException("Two @TaskHandler methods handle task type '" + handler.type() + "': "
					+ existing.description() + " and " + handler.description() + "; a type has exactly one handler");
		}
		this.version++;
	}

	/** Changes whenever a handler is added, so that what was derived from the handlers can be cached. */
	int version() {
		return this.version;
	}

	/** The handler of a type, or {@code null} when this instance has none. */
	public @Nullable TaskHandlerMethod get(String type) {
		return this.handlers.get(type);
	}

	/** Every handler. */
	public Collection<TaskHandlerMethod> all() {
		return Collections.unmodifiableCollection(this.handlers.values());
	}

}
