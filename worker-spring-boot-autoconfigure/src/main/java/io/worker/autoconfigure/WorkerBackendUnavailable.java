package io.worker.autoconfigure;

/**
 * Why the backend selected with {@code worker.backend} cannot be built, for example because a
 * library it needs is missing. A backend's auto-configuration registers one as a bean instead of
 * its backend, and startup then fails on {@code worker.backend} with this reason rather than with
 * a generic one.
 *
 * @param backend the backend's name, as {@code worker.backend} spells it
 * @param reason what is missing and how to add it, as a sentence fragment
 */
public record WorkerBackendUnavailable(String backend, String reason) {
}
