package io.worker.bench.fault;

/**
 * One task of a fault run.
 *
 * @param id the task's number in the run
 * @param workMillis how long its handler works (5–50 ms)
 */
public record FaultPayload(int id, int workMillis) {

}
