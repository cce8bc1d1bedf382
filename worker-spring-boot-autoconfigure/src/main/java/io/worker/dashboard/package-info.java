/**
 * The web dashboard's runtime: pages rendered as HTML from Java over a {@link io.worker.TaskInspector},
 * with no template engine and no web framework, so that any web layer can serve them.
 */
@NullMarked
package io.worker.dashboard;

import org.jspecify.annotations.NullMarked;
