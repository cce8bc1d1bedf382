package io.worker.autoconfigure.kafka;

import java.time.Duration;
import java.util.UUID;

import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerBackendUnavailable;
import io.worker.backend.kafka.KafkaTaskBroker;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.PropertyValues;
import io.worker.testsupport.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			worker.queues.cancel.weight=1                | worker.queues.cancel           | reserved
			worker.queues.schedules.weight=1             | worker.queues.schedules        | reserved
			worker.queues.control.weight=1               | worker.queues.control          | reserved
			worker.queues.workers.weight=1               | worker.queues.workers          | reserved
			worker.queues[delay.1000ms].weight=1         | worker.queues.delay.1000ms     | delay tier
			worker.queues[delay_5000ms].weight=1         | worker.queues.delay_5000ms     | delay tier
			worker.queues[billing.archive].weight=1      | worker.queues.billing.archive  | archive topic of queue 'billing'
			worker.queues[billing_archive].weight=1      | worker.queues.billing_archive  | archive topic of queue 'billing'
			worker.tasks.report.queue=control            | worker.tasks[report].queue     | reserved
			worker.tasks.report.queue=delay.60000ms      | worker.tasks[report].queue     | delay tier
			""")
	void queueWhoseTopicIsOrCollidesWithTheBackendsOwnFailsStartupNamingItsProperty(String assignment,
			String property, String reason) {
		this.contextRunner.withPropertyValues("worker.backend=kafka", "worker.kafka.prefix=names-" + UUID.randomUUID())
			.withPropertyValues(assignment)
			.run((context) -> {
				InvalidConfigurationPropertyValueException invalid = findInCauses(context.getStartupFailure());
				assertThat(invalid.getName()).isEqualTo(property);
				assertThat(invalid).hasMessageContaining("kafka backend cannot use this queue")
					.hasMessageContaining(reason);
			});
	}

	@Test
	void queuesWhoseTopicsCollideInKafkaFailStartupNamingTheSecond() {
		this.contextRunner.withPropertyValues("worker.backend=kafka", "worker.kafka.prefix=names-" + UUID.randomUUID())
			.withPropertyValues("worker.queues[billing.eu].weight=1")
			.withInitializer(PropertyValues.of("worker.tasks[invoice:send].queue", "billing_eu"))
			.run((context) -> {
				InvalidConfigurationPropertyValueException invalid = findInCauses(context.getStartupFailure());
				assertThat(invalid.getName()).isEqualTo("worker.tasks[invoice:send].queue");
				assertThat(invalid).hasMessageContaining("collides with the topic of queue 'billing.eu'")
					.hasMessageContaining("'.' and '_'");
			});
	}

	@Test
	void queuesTheBackendCanUseStartIt() {
		this.contextRunner
			.withPropertyValues("worker.backend=kafka", "worker.kafka.prefix=names-" + UUID.randomUUID(),
					"worker.queues[billing.eu_west].weight=1", "worker.queues[delay.reports].weight=1",
					"worker.queues[archive].weight=1", "worker.queues[cancelled].weight=1",
					"worker.tasks.report.queue=billing.eu_west")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(KafkaTaskBroker.class));
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

	private static InvalidConfigurationPropertyValueException findInCauses(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof InvalidConfigurationPropertyValueException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidConfigurationPropertyValueException in the causes of " + failure,
				failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		TaskBackend userBackend() {
			return mock(TaskBackend.class);
		}

	}

}
