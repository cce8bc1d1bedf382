/**
 * Micrometer Observations of enqueueing and processing tasks. The enqueue's trace context travels
 * in the task's headers, so that a tracer joins the handler's span to the enqueuing code's trace.
 */
@NullMarked
package io.worker.observation;

import org.jspecify.annotations.NullMarked;
