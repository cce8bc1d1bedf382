package io.worker.autoconfigure.kafka;

import java.time.Clock;

import io.worker.autoconfigure.PropertyChecks;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerBackendUnavailable;
import io.worker.autoconfigure.WorkerProperties;
import io.worker.backend.kafka.KafkaBackendSettings;
import io.worker.backend.kafka.KafkaTaskBroker;
import io.worker.spi.TaskBackend;
import org.apache.kafka.clients.producer.KafkaProducer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} of the Kafka backend, selected with
 * {@code worker.backend=kafka}, on the client properties Spring Boot binds from
 * {@code spring.kafka.*}. Without Spring Boot's Kafka module on the classpath it contributes a
 * {@link WorkerBackendUnavailable} saying what to add.
 */
@AutoConfiguration(before = WorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "worker.backend", havingValue = "kafka")
public final class WorkerKafkaBackendAutoConfiguration {

	private static final String BACKEND = "kafka";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ KafkaProducer.class, KafkaProperties.class })
	@EnableConfigurationProperties({ WorkerKafkaProperties.class, KafkaProperties.class, WorkerProperties.class })
	static class KafkaTaskBrokerConfiguration {

		@Bean
		@ConditionalOnMissingBean(TaskBackend.class)
		KafkaTaskBroker workerKafkaTaskBroker(KafkaProperties kafka, WorkerKafkaProperties properties,
				WorkerProperties worker, ObjectProvider<Clock> clock, Environment environment) {
			PropertyChecks.namePrefix("worker.kafka.prefix", properties.getPrefix());
			KafkaQueueNameChecks.check(properties.getPrefix(), worker);
			PropertyChecks.atLeast("worker.kafka.partitions", properties.getPartitions(), 1);
			if (properties.getReplicationFactor() != null) {
				PropertyChecks.atLeast("worker.kafka.replication-factor", properties.getReplicationFactor(), 1);
			}
			PropertyChecks.positive("worker.kafka.send-timeout", properties.getSendTimeout());
			if (properties.getDelayTiers().isEmpty()) {
				throw PropertyChecks.invalid("worker.kafka.delay-tiers", "", "at least one delay tier is needed");
			}
			for (int i = 0; i < properties.getDelayTiers().size(); i++) {
				PropertyChecks.positive("worker.kafka.delay-tiers[" + i + "]", properties.getDelayTiers().get(i));
			}
			String groupId = properties.getGroupId();
			if (groupId == null) {
				groupId = environment.getProperty("spring.application.name", "worker");
			}
			KafkaBackendSettings settings = new KafkaBackendSettings(properties.getPrefix(),
					properties.getPartitions(), properties.getReplicationFactor(), groupId,
					properties.getSendTimeout(), properties.getDelayTiers(), kafka.buildProducerProperties(),
					kafka.buildConsumerProperties(), kafka.buildAdminProperties());
			return new KafkaTaskBroker(settings, clock.getIfAvailable(Clock::systemUTC));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(KafkaMissingCondition.class)
	static class KafkaMissingConfiguration {

		@Bean
		@ConditionalOnMissingBean(TaskBackend.class)
		WorkerBackendUnavailable workerKafkaBackendWithoutKafka() {
			return new WorkerBackendUnavailable(BACKEND, "the Kafka client or Spring Boot's Kafka module is not on the "
					+ "classpath: add org.springframework.boot:spring-boot-starter-kafka");
		}

	}

	/** Either the Kafka client or Spring Boot's Kafka module is missing (named as strings). */
	static final class KafkaMissingCondition extends NoneNestedConditions {

		KafkaMissingCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(name = { "org.apache.kafka.clients.producer.KafkaProducer",
				"org.springframework.boot.kafka.autoconfigure.KafkaProperties" })
		static class KafkaPresent {

		}

	}

}
