/**
 * The in-memory backend: every semantic of the contract, in this process, kept in memory only.
 */
@NullMarked
package io.worker.backend.memory;

import org.jspecify.annotations.NullMarked;
