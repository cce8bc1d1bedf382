package io.worker.bench.fault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.worker.QueueInfo;
import io.worker.Task;
import io.worker.TaskState;

/**
 * One fault on one backend: enqueue the tasks, start a worker JVM, inject the fault when a share of
 * the tasks has run, wait until every task ran, then check that none is left active and that every
 * duplicate was in flight during a fault (its first run ended within {@link #GRACE} of a fault).
 */
final class Scenario {

	/** A run that ended this close to a fault may have lost its settlement (or its Kafka commit) to it. */
	static final long GRACE = 5_000;

	private final FaultBroker broker;

	private final TcpProxy proxy;

	private final Fault fault;

	private final int tasks;

	private final int concurrency;

	private final Duration cut;

	private final Path directory;

	private final List<long[]> windows = new ArrayList<>();

	private final List<WorkerJvm> workers = new ArrayList<>();

	private String prefix;

	private String enqueueWhileDown;

	private boolean enqueueFailed;

	Scenario(FaultBroker broker, TcpProxy proxy, Fault fault, int tasks, int concurrency, Duration cut, Path directory) {
		this.broker = broker;
		this.proxy = proxy;
		this.fault = fault;
		this.tasks = tasks;
		this.concurrency = concurrency;
		this.cut = cut;
		this.directory = directory;
	}

	ScenarioResult run() throws Exception {
		this.prefix = FaultRun.newPrefix(this.fault);
		long begin = System.currentTimeMillis();
		try (FaultClient client = FaultClient.open(FaultRun.properties(this.broker, this.broker.clientPort(), this.prefix,
				this.concurrency))) {
			List<FaultPayload> payloads = FaultRun.payloads(this.tasks);
			for (int from = 0; from < payloads.size(); from += 500) {
				client.client().enqueueAll(payloads.subList(from, Math.min(payloads.size(), from + 500)).stream()
					.map((payload) -> Task.of(FaultWorker.TYPE, payload).queue(FaultWorker.TYPE))
					.toList());
			}
			begin = System.currentTimeMillis();
			WorkerJvm first = startWorker("w1");
			try {
				inject(client, first);
				awaitRan(this.tasks, Duration.ofMinutes(10));
				String activeLeft = awaitIdle(client);
				Records records = Records.read(this.directory);
				return result(records, activeLeft, System.currentTimeMillis() - begin);
			}
			finally {
				for (WorkerJvm worker : this.workers) {
					worker.stop();
				}
			}
		}
	}

	private void inject(FaultClient client, WorkerJvm first) throws Exception {
		switch (this.fault) {
			case WORKER_KILLED -> {
				WorkerJvm worker = first;
				for (double share : new double[] { 0.25, 0.6 }) {
					awaitRan((int) (this.tasks * share), Duration.ofMinutes(5));
					long start = System.currentTimeMillis();
					worker.kill();
					this.workers.remove(worker);
					worker = startWorker("w1-after-kill-" + this.windows.size());
					this.windows.add(new long[] { start, System.currentTimeMillis() });
				}
			}
			case BROKER_RESTARTED -> {
				awaitRan((int) (this.tasks * 0.3), Duration.ofMinutes(5));
				long start = System.currentTimeMillis();
				this.broker.stop();
				probeEnqueue(client);
				this.broker.start();
				this.windows.add(new long[] { start, System.currentTimeMillis() });
			}
			case NETWORK_CUT -> {
				awaitRan((int) (this.tasks * 0.3), Duration.ofMinutes(5));
				long start = System.currentTimeMillis();
				this.proxy.cut();
				Thread.sleep(this.cut.toMillis());
				this.proxy.restore();
				this.windows.add(new long[] { start, System.currentTimeMillis() });
			}
			case WORKER_JOINS_AND_LEAVES -> {
				awaitRan((int) (this.tasks * 0.2), Duration.ofMinutes(5));
				long start = System.currentTimeMillis();
				WorkerJvm second = startWorker("w2");
				awaitRan((int) (this.tasks * 0.6), Duration.ofMinutes(5));
				second.stop();
				this.workers.remove(second);
				this.windows.add(new long[] { start, System.currentTimeMillis() });
			}
		}
	}

	/** An enqueue while the broker is down must fail, within the client's bounded timeout. */
	private void probeEnqueue(FaultClient client) {
		long start = System.nanoTime();
		try {
			client.client().enqueue(Task.of(FaultWorker.TYPE, new FaultPayload(this.tasks, 5)).queue(FaultWorker.TYPE));
			this.enqueueWhileDown = String.format("accepted after %d ms", (System.nanoTime() - start) / 1_000_000);
		}
		catch (RuntimeException ex) {
			this.enqueueFailed = true;
			String message = String.valueOf(ex.getMessage());
			this.enqueueWhileDown = String.format("failed after %.1f s: %s: %s", (System.nanoTime() - start) / 1e9,
					ex.getClass().getSimpleName(), message.substring(0, Math.min(140, message.length())));
		}
	}

	private WorkerJvm startWorker(String name) throws Exception {
		WorkerJvm worker = WorkerJvm.start(name, this.directory,
				FaultRun.properties(this.broker, this.broker.proxyPort(), this.prefix, this.concurrency));
		this.workers.add(worker);
		return worker;
	}

	private void awaitRan(int count, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		int ran = 0;
		while (System.nanoTime() < deadline) {
			ran = Records.read(this.directory).distinct(this.tasks);
			if (ran >= count) {
				return;
			}
			if (this.workers.stream().noneMatch(WorkerJvm::alive)) {
				throw new IllegalStateException("Every worker JVM exited; see the logs in " + this.directory);
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("Only " + ran + " of " + count + " tasks ran within " + timeout);
	}

	/** Wait until the inspector counts nothing active or waiting; what it counts then, or n/a. */
	private String awaitIdle(FaultClient client) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		QueueInfo queue = null;
		while (System.nanoTime() < deadline) {
			queue = client.inspector().queue(FaultWorker.TYPE);
			if (queue.size(TaskState.ACTIVE) == 0 && queue.backlog() == 0) {
				break;
			}
			Thread.sleep(500);
		}
		if (queue == null || !queue.knows(TaskState.ACTIVE)) {
			return "n/a (backlog " + ((queue != null) ? queue.backlog() : "?") + ")";
		}
		return String.valueOf(queue.size(TaskState.ACTIVE) + ((queue.backlog() > queue.size(TaskState.ACTIVE))
				? " (backlog " + queue.backlog() + ")" : ""));
	}

	private ScenarioResult result(Records records, String activeLeft, long totalMillis) {
		List<Integer> duplicated = records.duplicated().stream().filter((id) -> id < this.tasks).toList();
		long unexplained = duplicated.stream().filter((id) -> !inFlightAtAFault(records.first(id))).count();
		List<Long> recoveries = new ArrayList<>();
		for (long[] window : this.windows) {
			long next = records.firstEndAfter(window[1]);
			recoveries.add((next < 0) ? -1 : next - window[1]);
		}
		int ghost = this.enqueueFailed ? records.runs(this.tasks) : 0;
		return new ScenarioResult(this.broker.backend(), this.fault, this.tasks, records.distinct(this.tasks),
				duplicated.size(), unexplained, recoveries, activeLeft, totalMillis, this.enqueueWhileDown, ghost, null);
	}

	private boolean inFlightAtAFault(Records.Run run) {
		for (long[] window : this.windows) {
			if (run.end() >= window[0] - GRACE && run.end() <= window[1] + GRACE) {
				return true;
			}
		}
		return false;
	}

}
