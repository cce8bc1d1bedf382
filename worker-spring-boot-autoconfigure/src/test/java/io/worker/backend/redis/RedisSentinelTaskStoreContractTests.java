package io.worker.backend.redis;

import java.time.Duration;

import io.worker.spi.TaskStore;
import io.worker.spi.TaskStoreContractTests;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link TaskStore} contract on a {@link RedisTaskStore} over a master and its replica watched
 * by three sentinels ({@link RedisSentinels}), connected through Spring Boot's
 * {@code spring.data.redis.sentinel.*} settings; each test in a namespace of its own whose keys it
 * deletes afterwards.
 */
class RedisSentinelTaskStoreContractTests extends TaskStoreContractTests {

	private static BootRedisConnection redis;

	private final String namespace = RedisTestSupport.namespace();

	@BeforeAll
	static void connect() {
		redis = new BootRedisConnection(RedisSentinels.shared().properties());
		assertThat(redis.factory().getSentinelConfiguration()).isNotNull();
	}

	@AfterAll
	static void disconnect() {
		redis.close();
	}

	@Override
	protected TaskStore createStore(MutableClock clock) {
		return new RedisTaskStore(redis.factory(), this.namespace, clock, leaseDuration(), archiveMaxSize(),
				archiveMaxAge());
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
		redis.deleteKeys(this.namespace);
	}

}
