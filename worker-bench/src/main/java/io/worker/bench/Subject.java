package io.worker.bench;

/**
 * What is measured against a workload: Worker on one backend, the raw baseline for that backend,
 * or a peer (BullMQ).
 */
public interface Subject {

	/** The row label, such as {@code "Worker (redis)"}. */
	String name();

	/** The backend (broker) the subject runs on: {@code memory}, {@code redis}. */
	String backend();

	/** Whose figures these are. */
	Role role();

	/** Whether the subject can run the workload at all. */
	default boolean supports(Workload workload) {
		return true;
	}

	/**
	 * Run one measurement.
	 * @param workload what to measure
	 * @param spec how many tasks, at which concurrency and rate
	 * @return the figures
	 * @throws Exception when the run fails, or a task was lost or run twice
	 */
	Figures measure(Workload workload, Spec spec) throws Exception;

	/** Whose figures a row holds; ratios are ours over the others. */
	enum Role {

		/** Worker itself. */
		OURS,

		/** The broker's client alone, with the same delivery guarantee. */
		BASELINE,

		/** Another task library on the same broker. */
		PEER

	}

}
