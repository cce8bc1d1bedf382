/**
 * Auto-configuration for Worker: one auto-configuration per concern, each guarded by conditions.
 */
@NullMarked
package io.worker.autoconfigure;

import org.jspecify.annotations.NullMarked;
