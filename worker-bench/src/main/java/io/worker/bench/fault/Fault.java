package io.worker.bench.fault;

/** The faults of a fault run, each on its own batch of tasks. */
enum Fault {

	/** The worker JVM is SIGKILLed twice (at 25 % and 60 % of the tasks) and started again each time. */
	WORKER_KILLED("worker-killed", "worker JVM SIGKILLed twice"),

	/** The broker is stopped at 30 % (an enqueue is tried while it is down), then started again. */
	BROKER_RESTARTED("broker-restarted", "broker restarted"),

	/** Every connection to the broker is cut at 30 % for the cut duration. */
	NETWORK_CUT("network-cut", "network cut"),

	/** A second worker JVM joins at 20 % and leaves (SIGTERM) at 60 %. */
	WORKER_JOINS_AND_LEAVES("worker-joins-leaves", "second worker joins and leaves");

	private final String slug;

	private final String title;

	Fault(String slug, String title) {
		this.slug = slug;
		this.title = title;
	}

	String slug() {
		return this.slug;
	}

	String title() {
		return this.title;
	}

}
