package io.worker.bench;

import org.jspecify.annotations.Nullable;

/**
 * One measurement: a workload, a subject, its settings, and what it found (or why it failed).
 *
 * @param workload the workload
 * @param subject the subject's name
 * @param backend the backend the subject ran on
 * @param role whose figures these are
 * @param spec the settings
 * @param figures the figures, or {@code null} when the run failed
 * @param error why the run failed, or {@code null}
 */
public record Row(Workload workload, String subject, String backend, Subject.Role role, Spec spec,
		@Nullable Figures figures, @Nullable String error) {

	/** Whether {@code other} measured the same thing on the same backend (or on Redis, for a peer). */
	boolean comparable(Row other) {
		return this.workload == other.workload && this.spec.tasks() == other.spec.tasks()
				&& this.spec.concurrency() == other.spec.concurrency()
				&& (this.backend.equals(other.backend) || other.role == Subject.Role.PEER);
	}

}
