/**
 * The backend SPI: what the runtime needs from a backend. Pull-based stores implement
 * {@link io.worker.spi.TaskStore}; push-based brokers implement {@link io.worker.spi.TaskBroker}.
 */
@NullMarked
package io.worker.spi;

import org.jspecify.annotations.NullMarked;
