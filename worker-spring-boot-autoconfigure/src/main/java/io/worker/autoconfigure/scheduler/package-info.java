/**
 * Auto-configuration of recurring tasks.
 */
@NullMarked
package io.worker.autoconfigure.scheduler;

import org.jspecify.annotations.NullMarked;
