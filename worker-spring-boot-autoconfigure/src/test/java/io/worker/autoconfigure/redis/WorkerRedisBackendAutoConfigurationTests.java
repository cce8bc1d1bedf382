package io.worker.autoconfigure.redis;

import java.time.Duration;

import io.worker.TaskClient;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerBackendUnavailable;
import io.worker.backend.redis.RedisTaskStore;
import io.worker.runtime.DefaultTaskClient;
import io.worker.runtime.DisabledTaskClient;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.TestRedis;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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
		.withPropertyValues(TestRedis.springProperties());

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
	void coreRunsOnTheRedisStore() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WorkerAutoConfiguration.class))
			.withPropertyValues("worker.backend=redis", "worker.redis.namespace=wtest-autoconfig",
					"worker.server.enabled=false")
			.run((context) -> {
				assertThat(context).getBean(TaskBackend.class).isInstanceOf(RedisTaskStore.class);
				assertThat(context).getBean(TaskClient.class).isInstanceOf(DefaultTaskClient.class);
				assertThat(context).doesNotHaveBean(WorkerBackendUnavailable.class);
			});
	}

	@Test
	void providesNoStoreWhenWorkerIsDisabled() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WorkerAutoConfiguration.class))
			.withPropertyValues("worker.backend=redis", "worker.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(RedisConnectionFactory.class);
				assertThat(context).doesNotHaveBean(RedisTaskStore.class);
				assertThat(context).doesNotHaveBean(TaskBackend.class);
				assertThat(context).doesNotHaveBean(WorkerBackendUnavailable.class);
				assertThat(context).getBean(TaskClient.class).isInstanceOf(DisabledTaskClient.class);
			});
	}

	@Test
	void providesNoStoreWithoutSpringDataRedisAndSaysWhy() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerRedisBackendAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("worker.backend=redis")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TaskBackend.class);
				assertThat(context).getBean(WorkerBackendUnavailable.class)
					.extracting(WorkerBackendUnavailable::backend)
					.isEqualTo("redis");
			});
	}

	@Test
	void withoutSpringDataRedisStartupFailsNamingTheStarter() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(WorkerRedisBackendAutoConfiguration.class, WorkerAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("worker.backend=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("worker.backend")
				.hasMessageContaining("Spring Data Redis is not on the classpath")
				.hasMessageContaining("org.springframework.boot:spring-boot-starter-data-redis"));
	}

	@Test
	void providesNoStoreWithoutAConnectionFactoryAndSaysWhy() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerRedisBackendAutoConfiguration.class))
			.withPropertyValues("worker.backend=redis")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TaskBackend.class);
				assertThat(context).getBean(WorkerBackendUnavailable.class)
					.extracting(WorkerBackendUnavailable::reason, InstanceOfAssertFactories.STRING)
					.contains("no RedisConnectionFactory bean");
			});
	}

	@Test
	void aLeaseNoLongerThanTheHeartbeatThatExtendsItFailsStartupNamingTheProperty() {
		for (String lease : new String[] { "0s", "-1s", "5s", "3s" }) {
			this.contextRunner.withPropertyValues("worker.backend=redis", "worker.redis.lease-duration=" + lease)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("worker.redis.lease-duration")
					.hasMessageContaining("worker.server.heartbeat-interval"));
		}
		this.contextRunner
			.withPropertyValues("worker.backend=redis", "worker.redis.lease-duration=3s",
					"worker.server.heartbeat-interval=1s")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RedisTaskStore.class));
	}

	@Test
	void withoutAConnectionFactoryStartupFailsNamingTheMissingBean() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(WorkerRedisBackendAutoConfiguration.class, WorkerAutoConfiguration.class))
			.withPropertyValues("worker.backend=redis")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("worker.backend")
				.hasMessageContaining("no RedisConnectionFactory bean")
				.hasMessageContaining("org.springframework.boot:spring-boot-starter-data-redis"));
	}

	@Test
	void saysNothingWhenTheApplicationProvidesTheBackend() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerRedisBackendAutoConfiguration.class))
			.withUserConfiguration(UserBackendConfiguration.class)
			.withPropertyValues("worker.backend=redis")
			.run((context) -> assertThat(context).hasSingleBean(TaskBackend.class)
				.doesNotHaveBean(WorkerBackendUnavailable.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		TaskBackend userBackend() {
			return mock(TaskBackend.class);
		}

	}

}
