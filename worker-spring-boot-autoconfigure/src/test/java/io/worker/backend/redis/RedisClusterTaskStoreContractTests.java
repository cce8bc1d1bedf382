package io.worker.backend.redis;

import io.worker.spi.TaskStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link TaskStore} contract on a {@link RedisTaskStore} over a Redis Cluster of three masters
 * and three replicas ({@link RedisCluster}), connected through Spring Boot's
 * {@code spring.data.redis.cluster.*} settings.
 */
class RedisClusterTaskStoreContractTests extends RedisTaskStoreContract {

	private static BootRedisConnection redis;

	@BeforeAll
	static void connect() {
		redis = new BootRedisConnection(RedisCluster.shared().properties());
		assertThat(redis.factory().isClusterAware()).isTrue();
	}

	@AfterAll
	static void disconnect() {
		redis.close();
	}

	@Override
	protected LettuceConnectionFactory connectionFactory() {
		return redis.factory();
	}

}
