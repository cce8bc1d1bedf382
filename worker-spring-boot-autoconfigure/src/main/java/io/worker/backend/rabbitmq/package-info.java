/**
 * The RabbitMQ backend: a {@link io.worker.spi.TaskBroker} over Spring AMQP's
 * {@code ConnectionFactory}, with binary delay levels, an archive per queue and a cancel broadcast.
 * Only this package imports Spring AMQP and the RabbitMQ client.
 */
@NullMarked
package io.worker.backend.rabbitmq;

import org.jspecify.annotations.NullMarked;
