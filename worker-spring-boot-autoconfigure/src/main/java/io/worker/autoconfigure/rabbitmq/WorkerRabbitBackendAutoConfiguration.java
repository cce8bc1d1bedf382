package io.worker.autoconfigure.rabbitmq;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.worker.autoconfigure.PropertyChecks;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerBackendUnavailable;
import io.worker.autoconfigure.WorkerProperties;
import io.worker.backend.rabbitmq.RabbitSettings;
import io.worker.backend.rabbitmq.RabbitTaskBroker;
import io.worker.spi.TaskBackend;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} of the RabbitMQ backend, selected with
 * {@code worker.backend=rabbitmq}, on the {@link ConnectionFactory} Spring Boot builds from
 * {@code spring.rabbitmq.*}. Without Spring AMQP, or without a connection factory, it contributes a
 * {@link WorkerBackendUnavailable} saying what to add.
 */
@AutoConfiguration(before = WorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "worker.backend", havingValue = "rabbitmq")
public final class WorkerRabbitBackendAutoConfiguration {

	private static final String BACKEND = "rabbitmq";

	private static final Logger logger = LoggerFactory.getLogger(WorkerRabbitBackendAutoConfiguration.class);

	/** The queues served when {@code worker.queues} configures none. */
	private static final List<String> DEFAULT_QUEUES = List.of("critical", "default", "low");

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConnectionFactory.class)
	@EnableConfigurationProperties(WorkerRabbitProperties.class)
	static class RabbitTaskBrokerConfiguration {

		@Bean
		@ConditionalOnBean(ConnectionFactory.class)
		@ConditionalOnMissingBean(TaskBackend.class)
		RabbitTaskBroker workerRabbitTaskBroker(ConnectionFactory connectionFactory, WorkerRabbitProperties properties,
				ObjectProvider<WorkerProperties> workerProperties, ObjectProvider<Clock> clock,
				Environment environment) {
			PropertyChecks.namePrefix("worker.rabbitmq.prefix", properties.getPrefix());
			PropertyChecks.positive("worker.rabbitmq.confirm-timeout", properties.getConfirmTimeout());
			PropertyChecks.positive("worker.rabbitmq.consumer-timeout", properties.getConsumerTimeout());
			PropertyChecks.atLeast("worker.rabbitmq.delivery-limit", properties.getDeliveryLimit(), 1);
			// worker.archive.* belongs to the core properties; bound here with the same defaults
			Binder binder = Binder.get(environment);
			int archiveMaxSize = binder.bind("worker.archive.max-size", Integer.class).orElse(10_000);
			Duration archiveMaxAge = binder.bind("worker.archive.max-age", Duration.class)
				.orElse(Duration.ofDays(90));
			RabbitSettings settings = new RabbitSettings(properties.getPrefix(), properties.getQueueType(),
					properties.getConfirmTimeout(), properties.getDeliveryLimit(),
					archiveMaxSize, archiveMaxAge, properties.getConsumerTimeout());
			WorkerProperties worker = workerProperties.getIfAvailable();
			if (worker != null) {
				warnAboutTimeoutsAbove(properties.getConsumerTimeout(), worker);
			}
			return new RabbitTaskBroker(connectionFactory, settings, startupQueues(worker),
					clock.getIfAvailable(Clock::systemUTC));
		}

		@Bean
		@ConditionalOnMissingBean({ ConnectionFactory.class, TaskBackend.class })
		WorkerBackendUnavailable workerRabbitBackendWithoutConnectionFactory() {
			return new WorkerBackendUnavailable(BACKEND, "no RabbitMQ ConnectionFactory bean: add "
					+ "org.springframework.boot:spring-boot-starter-amqp, which builds one from spring.rabbitmq.*, "
					+ "or define one");
		}

	}

	// names Spring AMQP only as a string: this configuration applies when it is missing
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.amqp.rabbit.connection.ConnectionFactory")
	static class SpringAmqpMissingConfiguration {

		@Bean
		@ConditionalOnMissingBean(TaskBackend.class)
		WorkerBackendUnavailable workerRabbitBackendWithoutSpringAmqp() {
			return new WorkerBackendUnavailable(BACKEND, "Spring AMQP is not on the classpath: add "
					+ "org.springframework.boot:spring-boot-starter-amqp");
		}

	}

	/**
	 * RabbitMQ closes the channel of a delivery unacknowledged past its consumer_timeout: a task
	 * allowed to run longer would be interrupted and run again, however healthy. Timeouts given
	 * on annotations or at enqueue are not known here.
	 */
	private static void warnAboutTimeoutsAbove(Duration consumerTimeout, WorkerProperties worker) {
		Map<String, Duration> timeouts = new LinkedHashMap<>();
		timeouts.put("worker.defaults.timeout", worker.getDefaults().getTimeout());
		worker.getTasks().forEach((type, task) -> {
			if (task.getTimeout() != null) {
				timeouts.put("worker.tasks[" + type + "].timeout", task.getTimeout());
			}
		});
		timeouts.forEach((property, timeout) -> {
			if (timeout.compareTo(consumerTimeout) > 0) {
				logger.warn("{}={} is longer than RabbitMQ's consumer_timeout (worker.rabbitmq.consumer-timeout={}): "
						+ "RabbitMQ closes the channel of a task running that long and delivers it again. Raise "
						+ "consumer_timeout in rabbitmq.conf and worker.rabbitmq.consumer-timeout with it, or lower "
						+ "the timeout", property, timeout, consumerTimeout);
			}
		});
	}

	private static Set<String> startupQueues(@Nullable WorkerProperties properties) {
		Set<String> queues = new LinkedHashSet<>();
		if (properties != null) {
			queues.addAll(properties.getQueues().keySet());
		}
		if (queues.isEmpty()) {
			queues.addAll(DEFAULT_QUEUES);
		}
		return queues;
	}

}
