/**
 * The Redis backend: tasks as hashes, states as lists and sorted sets per queue, every state
 * change one Lua script. The only package that uses the Redis client.
 */
@NullMarked
package io.worker.backend.redis;

import org.jspecify.annotations.NullMarked;
