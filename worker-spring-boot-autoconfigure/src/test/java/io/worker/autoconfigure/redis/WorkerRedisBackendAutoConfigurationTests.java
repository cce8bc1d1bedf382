package io.worker.autoconfigure.redis;

import java.time.Duration;

import io.worker.backend.redis.RedisTaskStore;
import io.worker.spi.TaskBackend;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WorkerRedisBackendAutoConfiguration}.
 */
class WorkerRedisBackendAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				WorkerRedisBackendAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=" + System.getProperty("worker.test.redis.host", "127.0.0.1"),
				"spring.data.redis.port=" + Integer.getInteger("worker.test.redis.port", 6379));

	@Test
	void providesARedisStoreWhenTheBackendIsRedis() {
		this.contextRunner
			.withPropertyValues("worker.backend=redis", "worker.redis.namespace=wtest-autoconfig",
					"worker.redis.lease-duration=45s", "worker.archive.max-size=5")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisTaskStore.class);
				WorkerRedisProperties properties = context.getBean(WorkerRedisProperties.class);
				assertThat(properties.getNamespace()).isEqualTo("wtest-autoconfig");
				assertThat(properties.getLeaseDuration()).isEqualTo(Duration.ofSeconds(45));
				context.getBean(RedisTaskStore.class).ping();
			});
	}

	@Test
	void providesNoStoreWithoutTheProperty() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class));
	}

	@Test
	void providesNoStoreForAnotherBackend() {
		this.contextRunner.withPropertyValues("worker.backend=memory")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class));
	}

	@Test
	void backsOffToAUserBackend() {
		this.contextRunner.withPropertyValues("worker.backend=redis")
			.withUserConfiguration(UserBackendConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(TaskBackend.class)
				.doesNotHaveBean(RedisTaskStore.class));
	}

	@Test
	void providesNoStoreWithoutSpringDataRedis() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerRedisBackendAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("worker.backend=redis")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class));
	}

	@Test
	void providesNoStoreWithoutAConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerRedisBackendAutoConfiguration.class))
			.withPropertyValues("worker.backend=redis")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		TaskBackend userBackend() {
			return mock(TaskBackend.class);
		}

	}

}
