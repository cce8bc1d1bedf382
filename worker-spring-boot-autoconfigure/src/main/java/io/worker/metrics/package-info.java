/**
 * Micrometer meters for Worker: task throughput, durations, queue waits, active tasks and queue
 * sizes, tagged by task type and queue only.
 */
@NullMarked
package io.worker.metrics;

import org.jspecify.annotations.NullMarked;
