package io.worker.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.worker.TaskState;
import io.worker.spi.Capability;

/**
 * Which actions the backend's capabilities allow on a task in a given state, so that the pages
 * offer only those (the inspector refuses the others anyway).
 */
final class Actions {

	/** An action on tasks: its path segment and its label. */
	enum Action {

		RUN("run", "Run now"), ARCHIVE("archive", "Archive"), DELETE("delete", "Delete"), CANCEL("cancel", "Cancel");

		final String path;

		final String label;

		Action(String path, String label) {
			this.path = path;
			this.label = label;
		}

		static Action of(String path) {
			for (Action action : values()) {
				if (action.path.equals(path)) {
					return action;
				}
			}
			throw new IllegalArgumentException("No such action: " + path);
		}

	}

	private final Set<Capability> capabilities;

	Actions(Set<Capability> capabilities) {
		this.capabilities = capabilities;
	}

	List<Action> allowed(TaskState state) {
		List<Action> actions = new ArrayList<>();
		boolean waiting = state == TaskState.PENDING || state == TaskState.SCHEDULED || state == TaskState.RETRY;
		if ((state == TaskState.SCHEDULED || state == TaskState.RETRY) && has(Capability.RUN_SCHEDULED)
				|| state == TaskState.ARCHIVED && (has(Capability.RUN_SCHEDULED) || has(Capability.FIND_TASK)
						|| has(Capability.LIST_ARCHIVED) || has(Capability.LIST_TASKS))) {
			actions.add(Action.RUN);
		}
		if (waiting && has(Capability.MANAGE_WAITING)) {
			actions.add(Action.ARCHIVE);
		}
		if (waiting && has(Capability.MANAGE_WAITING) || (state == TaskState.ARCHIVED || state == TaskState.COMPLETED)
				&& (has(Capability.MANAGE_WAITING) || has(Capability.FIND_TASK))) {
			actions.add(Action.DELETE);
		}
		if (state == TaskState.ACTIVE) {
			actions.add(Action.CANCEL);
		}
		return actions;
	}

	boolean canPause() {
		return has(Capability.PAUSE);
	}

	boolean canList(TaskState state) {
		return has(Capability.LIST_TASKS) || state == TaskState.ARCHIVED && has(Capability.LIST_ARCHIVED);
	}

	boolean canFind() {
		return has(Capability.FIND_TASK);
	}

	private boolean has(Capability capability) {
		return this.capabilities.contains(capability);
	}

}
