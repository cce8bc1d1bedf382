package io.worker.backend.redis;

import java.time.Duration;

import io.worker.spi.TaskStore;
import io.worker.spi.TaskStoreContractTests;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link TaskStore} contract on a {@link RedisTaskStore} over a Redis Cluster of three masters
 * and three replicas ({@link RedisCluster}), connected through Spring Boot's
 * {@code spring.data.redis.cluster.*} settings; each test in a namespace of its own whose keys it
 * deletes afterwards.
 */
class RedisClusterTaskStoreContractTests extends TaskStoreContractTests {

	private static BootRedisConnection redis;

	private final String namespace = RedisTestSupport.namespace();

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
