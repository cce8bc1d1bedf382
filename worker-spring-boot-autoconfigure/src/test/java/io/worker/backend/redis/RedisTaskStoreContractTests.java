package io.worker.backend.redis;

import io.worker.spi.TaskStore;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The {@link TaskStore} contract on a {@link RedisTaskStore} over the test Redis.
 */
class RedisTaskStoreContractTests extends RedisTaskStoreContract {

	private static LettuceConnectionFactory factory;

	@BeforeAll
	static void connect() {
		factory = TestRedis.connect();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@Override
	protected LettuceConnectionFactory connectionFactory() {
		return factory;
	}

}
