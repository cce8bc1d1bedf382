/**
 * The README's Java snippets as compiled code (see {@code ReadmeSnippetsTests}). Outside
 * {@code io.worker.sample}, so the sample application does not scan them.
 */
package io.worker.readme;
