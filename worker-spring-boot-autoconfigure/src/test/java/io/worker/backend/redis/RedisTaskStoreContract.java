package io.worker.backend.redis;

import io.worker.spi.TaskStore;
import io.worker.spi.TaskStoreContractTests;
import io.worker.testsupport.MutableClock;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The {@link TaskStore} contract on a {@link RedisTaskStore}, whatever Redis topology the subclass
 * connects to (one server, a cluster, sentinels): each test in a namespace of its own whose keys it
 * deletes afterwards.
 */
abstract class RedisTaskStoreContract extends TaskStoreContractTests {

	private final String namespace = RedisTestSupport.namespace();

	/** The connection to the topology under test, shared by the class. */
	protected abstract LettuceConnectionFactory connectionFactory();

	@Override
	protected TaskStore createStore(MutableClock clock) {
		return new RedisTaskStore(connectionFactory(), this.namespace, clock, leaseDuration(), archiveMaxSize(),
				archiveMaxAge());
	}

	@Override
	protected void cleanUp() {
		((RedisTaskStore) this.store).close();
		BootRedisConnection.deleteKeys(connectionFactory(), this.namespace);
	}

}
