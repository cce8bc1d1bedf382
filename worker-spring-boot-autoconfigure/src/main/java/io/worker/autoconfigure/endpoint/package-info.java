/**
 * Auto-configuration of the {@code worker} actuator endpoint.
 */
@NullMarked
package io.worker.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
