package io.worker.sample.user;

/**
 * A user of the sample application.
 *
 * @param id the user's id
 * @param email the user's email address
 * @param name the user's display name
 */
public record User(long id, String email, String name) {
}
