package io.worker.autoconfigure.redis;

import java.time.Clock;
import java.time.Duration;

import io.worker.autoconfigure.PropertyChecks;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerBackendUnavailable;
import io.worker.backend.redis.RedisTaskStore;
import io.worker.spi.TaskBackend;

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
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link AutoConfiguration Auto-configuration} of the Redis backend, selected with
 * {@code worker.backend=redis}, on the {@link RedisConnectionFactory} Spring Boot builds from
 * {@code spring.data.redis.*}. When it cannot build the backend it says why with a
 * {@link WorkerBackendUnavailable}.
 */
@AutoConfiguration(before = WorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "worker.backend", havingValue = "redis")
public final class WorkerRedisBackendAutoConfiguration {

	private static final String BACKEND = "redis";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@EnableConfigurationProperties(WorkerRedisProperties.class)
	static class RedisTaskStoreConfiguration {

		@Bean
		@ConditionalOnBean(RedisConnectionFactory.class)
		@ConditionalOnMissingBean(TaskBackend.class)
		RedisTaskStore workerRedisTaskStore(RedisConnectionFactory connectionFactory,
				WorkerRedisProperties properties, ObjectProvider<Clock> clock, Environment environment) {
			PropertyChecks.namePrefix("worker.redis.namespace", properties.getNamespace());
			// worker.archive.* belongs to the core properties; bound here with the same defaults
			Binder binder = Binder.get(environment);
			int archiveMaxSize = binder.bind("worker.archive.max-size", Integer.class).orElse(10_000);
			Duration archiveMaxAge = binder.bind("worker.archive.max-age", Duration.class).orElse(Duration.ofDays(90));
			Duration heartbeat = binder.bind("worker.server.heartbeat-interval", Duration.class)
				.orElse(Duration.ofSeconds(5));
			if (properties.getLeaseDuration().compareTo(heartbeat) <= 0) {
				// the heartbeat extends leases: a shorter lease expires between extensions, and every
				// running task would be recovered and run again elsewhere
				throw new InvalidConfigurationPropertyValueException("worker.redis.lease-duration",
						properties.getLeaseDuration(),
						"must be longer than worker.server.heartbeat-interval (" + heartbeat + "), which extends leases");
			}
			return new RedisTaskStore(connectionFactory, properties.getNamespace(),
					clock.getIfAvailable(Clock::systemUTC), properties.getLeaseDuration(), archiveMaxSize,
					archiveMaxAge);
		}

		@Bean
		@ConditionalOnMissingBean({ RedisConnectionFactory.class, TaskBackend.class })
		WorkerBackendUnavailable workerRedisBackendWithoutConnectionFactory() {
			return new WorkerBackendUnavailable(BACKEND, "no RedisConnectionFactory bean: add "
					+ "org.springframework.boot:spring-boot-starter-data-redis, which builds one from "
					+ "spring.data.redis.*, or define one");
		}

	}

	// names Spring Data Redis only as a string: this configuration applies when it is missing
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	static class SpringDataRedisMissingConfiguration {

		@Bean
		@ConditionalOnMissingBean(TaskBackend.class)
		WorkerBackendUnavailable workerRedisBackendWithoutSpringDataRedis() {
			return new WorkerBackendUnavailable(BACKEND, "Spring Data Redis is not on the classpath: add "
					+ "org.springframework.boot:spring-boot-starter-data-redis");
		}

	}

}
