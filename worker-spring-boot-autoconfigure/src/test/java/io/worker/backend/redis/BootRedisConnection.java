package io.worker.backend.redis;

import java.util.List;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The {@link LettuceConnectionFactory} Spring Boot's {@link DataRedisAutoConfiguration} builds from
 * {@code spring.data.redis.*} settings, as an application would get it, in a context of its own
 * that {@link #close()} closes.
 */
final class BootRedisConnection implements AutoCloseable {

	private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

	BootRedisConnection(List<String> properties) {
		TestPropertyValues.of(properties).applyTo(this.context);
		this.context.register(RedisConfiguration.class);
		this.context.refresh();
	}

	LettuceConnectionFactory factory() {
		return this.context.getBean(LettuceConnectionFactory.class);
	}

	/** Delete the keys of this namespace on every master: never the whole database. */
	void deleteKeys(String namespace) {
		deleteKeys(factory(), namespace);
	}

	static void deleteKeys(LettuceConnectionFactory factory, String namespace) {
		if (!factory.isClusterAware()) {
			RedisTestSupport.deleteKeys(factory, namespace);
			return;
		}
		try (RedisClusterConnection connection = factory.getClusterConnection()) {
			byte[] pattern = RedisTaskCodec.bytes(namespace + ":*");
			for (RedisClusterNode node : connection.clusterGetNodes()) {
				if (node.isMaster() && node.isConnected()) {
					for (byte[] key : connection.keys(node, pattern)) {
						connection.keyCommands().del(key);
					}
				}
			}
		}
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
	static class RedisConfiguration {

	}

}
