/**
 * Worker's runtime, shared by every backend: handler discovery, the client, execution with
 * interceptors, retry decisions, and the background components a server runs, one job each.
 */
@NullMarked
package io.worker.runtime;

import org.jspecify.annotations.NullMarked;
