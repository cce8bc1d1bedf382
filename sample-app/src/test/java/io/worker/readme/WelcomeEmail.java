package io.worker.readme;

// README, quick start
public record WelcomeEmail(long userId, String email, String name) {
}
