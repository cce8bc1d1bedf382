/**
 * Auto-configuration of the Redis backend.
 */
@NullMarked
package io.worker.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
