package io.worker.backend.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.worker.runtime.RecurringTasksContractTests;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The recurring task contract on Redis: each instance has its own {@link RedisTaskStore} on one
 * namespace, as separate processes would.
 */
class RedisRecurringTasksTests extends RecurringTasksContractTests {

	private final LettuceConnectionFactory factory = TestRedis.connect();

	private final String namespace = RedisTestSupport.namespace();

	private final List<RedisTaskStore> stores = new ArrayList<>();

	@Override
	protected TaskBackend backend() {
		RedisTaskStore store = new RedisTaskStore(this.factory, this.namespace, this.clock, Duration.ofMinutes(5), 100,
				Duration.ofDays(1));
		this.stores.add(store);
		return store;
	}

	@AfterEach
	void deleteKeys() {
		this.stores.forEach(RedisTaskStore::close);
		RedisTestSupport.deleteKeys(this.factory, this.namespace);
		this.factory.destroy();
	}

}
