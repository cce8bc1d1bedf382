package io.worker.autoconfigure.redis;

import java.time.Clock;
import java.time.Duration;

import io.worker.backend.redis.RedisTaskStore;
import io.worker.spi.TaskBackend;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link AutoConfiguration Auto-configuration} of the Redis backend, selected with
 * {@code worker.backend=redis}, on the {@link RedisConnectionFactory} Spring Boot builds from
 * {@code spring.data.redis.*}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "worker.backend", havingValue = "redis")
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties(WorkerRedisProperties.class)
public final class WorkerRedisBackendAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskBackend.class)
	RedisTaskStore workerRedisTaskStore(RedisConnectionFactory connectionFactory, WorkerRedisProperties properties,
			ObjectProvider<Clock> clock, Environment environment) {
		// worker.archive.* belongs to the core properties; bound here with the same defaults
		Binder binder = Binder.get(environment);
		int archiveMaxSize = binder.bind("worker.archive.max-size", Integer.class).orElse(10_000);
		Duration archiveMaxAge = binder.bind("worker.archive.max-age", Duration.class).orElse(Duration.ofDays(90));
		return new RedisTaskStore(connectionFactory, properties.getNamespace(), clock.getIfAvailable(Clock::systemUTC),
				properties.getLeaseDuration(), archiveMaxSize, archiveMaxAge);
	}

}
