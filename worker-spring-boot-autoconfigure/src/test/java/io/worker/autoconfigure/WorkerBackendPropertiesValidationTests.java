package io.worker.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worker.autoconfigure.kafka.WorkerKafkaBackendAutoConfiguration;
import io.worker.autoconfigure.metrics.WorkerMetricsAutoConfiguration;
import io.worker.autoconfigure.rabbitmq.WorkerRabbitBackendAutoConfiguration;
import io.worker.autoconfigure.redis.WorkerRedisBackendAutoConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the backend properties fail startup with the property named when they
 * are zero, negative, or otherwise unusable. Each check runs before the backend connects, so no
 * broker is needed: the failing context never reaches one.
 */
class WorkerBackendPropertiesValidationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RabbitAutoConfiguration.class, KafkaAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerRedisBackendAutoConfiguration.class,
				WorkerRabbitBackendAutoConfiguration.class, WorkerKafkaBackendAutoConfiguration.class,
				WorkerAutoConfiguration.class))
		.withPropertyValues("worker.server.enabled=false");

	@ParameterizedTest(name = "{0}: {1}={2}")
	@CsvSource(delimiter = '|', textBlock = """
			redis    | worker.redis.lease-duration       | 0s
			redis    | worker.redis.lease-duration       | -5s
			rabbitmq | worker.rabbitmq.confirm-timeout   | 0s
			rabbitmq | worker.rabbitmq.consumer-timeout  | -1m
			rabbitmq | worker.rabbitmq.delivery-limit    | 0
			kafka    | worker.kafka.partitions           | 0
			kafka    | worker.kafka.replication-factor   | 0
			kafka    | worker.kafka.send-timeout         | 0s
			kafka    | worker.kafka.delay-tiers[0]       | 0s
			kafka    | worker.kafka.delay-tiers[0]       | -1s
			redis    | worker.redis.namespace            | a{b}
			redis    | worker.redis.namespace            | ' '
			rabbitmq | worker.rabbitmq.prefix            | a b
			kafka    | worker.kafka.prefix               | a/b
			kafka    | worker.kafka.prefix               | ' '
			""")
	void invalidValueFailsStartupNamingItsProperty(String backend, String name, String value) {
		this.contextRunner.withPropertyValues("worker.backend=" + backend, name + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException invalid = findInCauses(context.getStartupFailure());
			assertThat(invalid.getName()).isEqualTo(name);
			assertThat(invalid).hasMessageContaining(name);
		});
	}

	@ParameterizedTest(name = "worker.metrics.queue-size-ttl={0}")
	@ValueSource(strings = { "-1s", "-10ms" })
	void queueSizeTtlThatIsNegativeFailsStartupNamingIt(String ttl) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WorkerMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("worker.backend=memory", "worker.metrics.queue-size-ttl=" + ttl)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(findInCauses(context.getStartupFailure()).getName()).isEqualTo("worker.metrics.queue-size-ttl");
			});
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

}
