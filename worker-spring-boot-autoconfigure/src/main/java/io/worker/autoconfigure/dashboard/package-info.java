/**
 * Auto-configuration of the web dashboard.
 */
@NullMarked
package io.worker.autoconfigure.dashboard;

import org.jspecify.annotations.NullMarked;
