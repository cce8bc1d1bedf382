/**
 * Auto-configuration of Worker's Micrometer meters.
 */
@NullMarked
package io.worker.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
