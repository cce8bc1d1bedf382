/**
 * Actuator health for Worker.
 */
@NullMarked
package io.worker.health;

import org.jspecify.annotations.NullMarked;
