package io.worker.readme;

import java.util.List;

import io.worker.QueueInfo;
import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.WorkerInfo;

/**
 * The README's inspector snippets.
 */
class Inspecting {

	// dead letter and the inspector
	List<WorkerInfo> inspect(TaskInspector inspector, String taskId) {
		QueueInfo low = inspector.queue("low");                        // sizes per state, processed/failed today
		List<TaskDetail> dead = inspector.tasks("low", TaskState.ARCHIVED, 0, 20);
		inspector.runTask("low", dead.get(0).id());                    // run an archived task again
		inspector.deleteTask("low", taskId);
		inspector.pauseQueue("low");                                   // running tasks finish, no new ones start
		inspector.resumeQueue("low");
		List<WorkerInfo> workers = inspector.workers();                // live worker servers
		return workers;
	}

	// cancelling
	void cancel(TaskInspector inspector, String taskId) {
		inspector.cancelTask(taskId);
	}

}
