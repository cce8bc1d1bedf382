package io.worker.backend.redis;

import java.time.Duration;

import io.worker.spi.TaskStore;
import io.worker.spi.TaskStoreContractTests;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The {@link TaskStore} contract on a {@link RedisTaskStore} over the test Redis, each test in a
 * namespace of its own whose keys it deletes afterwards.
 */
class RedisTaskStoreContractTests extends TaskStoreContractTests {

	private static LettuceConnectionFactory factory;

	private final String namespace = RedisTestSupport.namespace();

	@BeforeAll
	static void connect() {
		factory = RedisTestSupport.connect();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@Override
	protected TaskStore createStore(MutableClock clock) {
		return new RedisTaskStore(factory, this.namespace, clock, leaseDuration(), archiveMaxSize(), archiveMaxAge());
	}

	@Override
	protected Duration leaseDuration() {
		return Duration.ofSeconds(30);
	}

	@Override
	protected int archiveMaxSize() {
		return 5;
	}

	@Override
	protected Duration archiveMaxAge() {
		return Duration.ofDays(7);
	}

	@Override
	protected void cleanUp() {
		((RedisTaskStore) this.store).close();
		RedisTestSupport.deleteKeys(factory, this.namespace);
	}

}
