/**
 * Auto-configuration of Worker's actuator health.
 */
@NullMarked
package io.worker.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
