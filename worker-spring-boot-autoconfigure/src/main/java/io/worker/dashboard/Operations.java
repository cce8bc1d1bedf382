package io.worker.dashboard;

import java.util.List;

import io.worker.TaskInspector;
import io.worker.dashboard.Actions.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's actions, carried out through the inspector and each logged with the user who asked
 * for it, so that the log says who retried, archived, deleted, cancelled or paused what.
 */
public final class Operations {

	private static final Logger logger = LoggerFactory.getLogger(Operations.class);

	private final TaskInspector inspector;

	Operations(TaskInspector inspector) {
		this.inspector = inspector;
	}

	void act(String user, Action action, String queue, String id) {
		apply(action, queue, id);
		logger.info("Dashboard: {} did {} on task {} of queue {}", user, action.path, id, queue);
	}

	/** Acts on each task, logging once for all; answers how many failed. */
	int act(String user, Action action, String queue, List<String> ids) {
		int failed = 0;
		for (String id : ids) {
			try {
				apply(action, queue, id);
			}
			catch (RuntimeException ex) {
				// a task may have moved on since it was listed; the others still get done
				failed++;
			}
		}
		logger.info("Dashboard: {} did {} on {} tasks of queue {} ({} failed)", user, action.path, ids.size(), queue,
				failed);
		return failed;
	}

	private void apply(Action action, String queue, String id) {
		switch (action) {
			case RUN -> this.inspector.runTask(queue, id);
			case ARCHIVE -> this.inspector.archiveTask(queue, id);
			case DELETE -> this.inspector.deleteTask(queue, id);
			case CANCEL -> this.inspector.cancelTask(id);
		}
	}

	void pause(String user, String queue, boolean pause) {
		if (pause) {
			this.inspector.pauseQueue(queue);
		}
		else {
			this.inspector.resumeQueue(queue);
		}
		logger.info("Dashboard: {} {} queue {}", user, pause ? "paused" : "resumed", queue);
	}

}
