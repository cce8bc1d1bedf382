package io.worker.autoconfigure.kafka;

import java.time.Duration;
import java.util.UUID;

import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerBackendUnavailable;
import io.worker.backend.kafka.KafkaTaskBroker;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WorkerKafkaBackendAutoConfiguration}.
 */
class WorkerKafkaBackendAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(KafkaAutoConfiguration.class, WorkerKafkaBackendAutoConfiguration.class))
		.withPropertyValues("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());

	@Test
	void providesAKafkaBrokerWhenTheBackendIsKafka() {
		this.contextRunner
			.withPropertyValues("worker.backend=kafka", "worker.kafka.prefix=autoconfig-" + UUID.randomUUID(),
					"worker.kafka.partitions=2", "worker.kafka.send-timeout=5s", "spring.application.name=billing")
			.run((context) -> {
				assertThat(context).hasSingleBean(KafkaTaskBroker.class);
				WorkerKafkaProperties properties = context.getBean(WorkerKafkaProperties.class);
				assertThat(properties.getPartitions()).isEqualTo(2);
				assertThat(properties.getSendTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getDelayTiers()).first().isEqualTo(Duration.ofSeconds(1));
				context.getBean(KafkaTaskBroker.class).ping();
			});
	}

	@Test
	void providesNoBrokerWithoutTheProperty() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class));
	}

	@Test
	void providesNoBrokerWhenWorkerIsDisabled() {
		this.contextRunner.withPropertyValues("worker.backend=kafka", "worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class));
	}

	@Test
	void providesNoBrokerWithoutTheKafkaClient() {
		this.contextRunner.withPropertyValues("worker.backend=kafka")
			.withClassLoader(new FilteredClassLoader(KafkaProducer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class)
				.getBean(WorkerBackendUnavailable.class)
				.satisfies((unavailable) -> assertThat(unavailable.reason())
					.contains("org.springframework.boot:spring-boot-starter-kafka")));
	}

	@Test
	void withoutTheKafkaClientStartupFailsNamingTheStarter() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerKafkaBackendAutoConfiguration.class,
					WorkerAutoConfiguration.class))
			.withPropertyValues("worker.backend=kafka")
			.withClassLoader(new FilteredClassLoader(KafkaProducer.class))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("worker.backend")
				.hasMessageContaining("spring-boot-starter-kafka"));
	}

	@Test
	void backsOffToAUserBackend() {
		this.contextRunner.withPropertyValues("worker.backend=kafka")
			.withUserConfiguration(UserBackendConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(TaskBackend.class)
				.doesNotHaveBean(KafkaTaskBroker.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		TaskBackend userBackend() {
			return mock(TaskBackend.class);
		}

	}

}
