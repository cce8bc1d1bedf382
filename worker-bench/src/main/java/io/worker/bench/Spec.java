package io.worker.bench;

/**
 * The settings of one measurement.
 *
 * @param tasks how many tasks
 * @param concurrency how many tasks the consumers run at once
 * @param rate tasks per second, for {@link Workload#LATENCY}
 */
public record Spec(int tasks, int concurrency, int rate) {

}
