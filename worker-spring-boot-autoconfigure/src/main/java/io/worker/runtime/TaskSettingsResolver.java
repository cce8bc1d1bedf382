package io.worker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.worker.runtime.TaskHandlerMethod.HandlerSettings;

/**
 * Resolves each task type's {@link TaskSettings}: configuration ({@code worker.tasks.<type>.*})
 * wins over the handler's annotation, which wins over the defaults. An explicit option on an
 * enqueued task wins over all three; that is applied where the task is read.
 */
public final class TaskSettingsResolver {

	private static final HandlerSettings NO_ANNOTATION = new HandlerSettings(null, null, null, List.of(), List.of());

	private final TaskDefaults defaults;

	private final Map<String, TaskTypeOptions> options;

	private final TaskHandlerRegistry handlers;

	/** Resolved once per type: this runs on every enqueue and every attempt. */
	private final Map<String, Resolved> cache = new ConcurrentHashMap<>();

	public TaskSettingsResolver(TaskDefaults defaults, Map<String, TaskTypeOptions> options,
			TaskHandlerRegistry handlers) {
		this.defaults = defaults;
		this.options = Map.copyOf(options);
		this.handlers = handlers;
	}

	/** The settings of a type; a type nobody configured or handles here gets the defaults. */
	public TaskSettings resolve(String type) {
		int version = this.handlers.version();
		Resolved resolved = this.cache.get(type);
		if (resolved == null || resolved.version != version) {
			resolved = new Resolved(version, compute(type));
			this.cache.put(type, resolved);
		}
		return resolved.settings;
	}

	private TaskSettings compute(String type) {
		TaskTypeOptions configured = this.options.getOrDefault(type, TaskTypeOptions.NONE);
		TaskHandlerMethod handler = this.handlers.get(type);
		HandlerSettings annotated = (handler != null) ? handler.settings() : NO_ANNOTATION;
		List<Class<? extends Throwable>> noRetryFor = new ArrayList<>(this.defaults.nonRetryable());
		noRetryFor.addAll(annotated.noRetryFor());
		return new TaskSettings(type, !Boolean.FALSE.equals(configured.enabled()),
				first(configured.queue(), annotated.queue(), this.defaults.queue()),
				first(configured.maxRetries(), annotated.maxRetries(), this.defaults.maxRetries()),
				first(configured.timeout(), annotated.timeout(), this.defaults.timeout()),
				Objects.requireNonNullElse(configured.backoff(), this.defaults.backoff()), annotated.retryOn(),
				List.copyOf(noRetryFor));
	}

	/** The configured options by type. */
	public Map<String, TaskTypeOptions> options() {
		return this.options;
	}

	private record Resolved(int version, TaskSettings settings) {
	}

	@SafeVarargs
	private static <T> T first(T... candidates) {
		for (T candidate : candidates) {
			if (candidate != null) {
				return candidate;
			}
		}
		throw new IllegalStateException("No default");
	}

}
