/**
 * The {@code worker} actuator endpoint.
 */
@NullMarked
package io.worker.actuate;

import org.jspecify.annotations.NullMarked;
