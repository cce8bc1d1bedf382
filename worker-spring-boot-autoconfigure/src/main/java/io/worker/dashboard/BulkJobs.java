package io.worker.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.TaskDetail;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.dashboard.Actions.Action;
import org.jspecify.annotations.Nullable;

/**
 * Actions on every task of a queue in one state, run in the background in batches so that the
 * request returns at once; the progress page reads a job's counters. The handles are listed first
 * and acted on after, so that tasks leaving the state do not shift the pages being read.
 */
public final class BulkJobs implements AutoCloseable {

	static final int BATCH = 100;

	static final int KEPT_JOBS = 50;

	private final TaskInspector inspector;

	private final Operations operations;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "worker-dashboard-bulk");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Job> jobs = new ConcurrentHashMap<>();

	BulkJobs(TaskInspector inspector, Operations operations) {
		this.inspector = inspector;
		this.operations = operations;
	}

	/** One bulk job's counters. */
	static final class Job {

		final String id;

		final String queue;

		final TaskState state;

		final Action action;

		final long total;

		final AtomicInteger done = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		volatile boolean finished;

		volatile @Nullable String error;

		Job(String id, String queue, TaskState state, Action action, long total) {
			this.id = id;
			this.queue = queue;
			this.state = state;
			this.action = action;
			this.total = total;
		}

	}

	/** Starts acting on the tasks of the queue in the state; answers the job at once. */
	Job start(String user, String queue, TaskState state, Action action) {
		long total = this.inspector.queue(queue).size(state);
		// finished jobs are kept for their progress page until there are too many
		if (this.jobs.size() >= KEPT_JOBS) {
			this.jobs.values().removeIf((old) -> old.finished);
		}
		Job job = new Job(UUID.randomUUID().toString(), queue, state, action, total);
		this.jobs.put(job.id, job);
		this.executor.execute(() -> run(user, job));
		return job;
	}

	Optional<Job> get(String id) {
		return Optional.ofNullable(this.jobs.get(id));
	}

	private void run(String user, Job job) {
		try {
			List<String> handles = new ArrayList<>();
			for (int page = 0;; page++) {
				List<TaskDetail> tasks = this.inspector.tasks(job.queue, job.state, page, BulkJobs.BATCH);
				tasks.forEach((task) -> handles.add(task.handle()));
				if (tasks.size() < BATCH) {
					break;
				}
			}
			for (int from = 0; from < handles.size(); from += BATCH) {
				List<String> batch = handles.subList(from, Math.min(handles.size(), from + BATCH));
				job.failed.addAndGet(this.operations.act(user, job.action, job.queue, batch));
				job.done.addAndGet(batch.size());
			}
		}
		catch (RuntimeException ex) {
			job.error = String.valueOf(ex.getMessage());
		}
		finally {
			job.finished = true;
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
