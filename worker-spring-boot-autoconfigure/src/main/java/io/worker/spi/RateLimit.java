package io.worker.spi;

import java.time.Duration;

/**
 * At most {@code permits} tasks of a queue started per {@code period}.
 *
 * @param permits the number of starts allowed per period
 * @param period the period
 */
public record RateLimit(int permits, Duration period) {
}
