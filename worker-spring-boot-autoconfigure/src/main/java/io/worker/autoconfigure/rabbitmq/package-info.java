/**
 * Auto-configuration of the RabbitMQ backend.
 */
@NullMarked
package io.worker.autoconfigure.rabbitmq;

import org.jspecify.annotations.NullMarked;
