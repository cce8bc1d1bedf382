/**
 * Auto-configuration of Worker's Micrometer Observations.
 */
@NullMarked
package io.worker.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
