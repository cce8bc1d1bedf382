package io.worker.backend.redis;

import java.time.Duration;

import io.worker.testsupport.MutableClock;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@link RedisTaskStore} of each test's own on the shared test Redis: its own namespace and
 * queue, a test clock, a 30 s lease; the namespace's keys are deleted after each test.
 */
abstract class RedisStoreTestCase {

	static final Duration LEASE = Duration.ofSeconds(30);

	static LettuceConnectionFactory factory;

	final String namespace = RedisTestSupport.namespace();

	final MutableClock clock = new MutableClock(RedisTestSupport.START);

	final String queue = RedisTestSupport.queue();

	RedisTaskStore store;

	@BeforeAll
	static void connect() {
		factory = TestRedis.connect();
	}

	@AfterAll
	static void disconnect() {
		factory.destroy();
	}

	@BeforeEach
	void createStore() {
		this.store = new RedisTaskStore(factory, this.namespace, this.clock, LEASE, 1000, Duration.ofDays(90));
	}

	@AfterEach
	void deleteKeys() {
		this.store.close();
		RedisTestSupport.deleteKeys(factory, this.namespace);
	}

}
