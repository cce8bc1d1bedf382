/**
 * The Kafka backend: a topic per queue, one consumer per instance whose poll loop never runs
 * handlers, delay-tier topics for retries and delayed tasks, a compacted dead-letter topic per
 * queue and a broadcast topic for cancellations. The only package that uses the Kafka client.
 */
@NullMarked
package io.worker.backend.kafka;

import org.jspecify.annotations.NullMarked;
