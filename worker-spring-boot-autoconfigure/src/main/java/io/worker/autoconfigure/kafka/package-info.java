/**
 * Auto-configuration of the Kafka backend.
 */
@NullMarked
package io.worker.autoconfigure.kafka;

import org.jspecify.annotations.NullMarked;
