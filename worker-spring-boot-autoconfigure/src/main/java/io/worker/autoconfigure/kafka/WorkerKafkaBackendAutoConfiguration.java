package io.worker.autoconfigure.kafka;

import java.time.Clock;

import io.worker.autoconfigure.WorkerAutoConfiguration;
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
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link AutoConfiguration Auto-configuration} of the Kafka backend, selected with
 * {@code worker.backend=kafka}, on the client properties Spring Boot binds from
 * {@code spring.kafka.*}.
 */
@AutoConfiguration(before = WorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({ KafkaProducer.class, KafkaProperties.class })
@ConditionalOnBooleanProperty(name = "worker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "worker.backend", havingValue = "kafka")
@EnableConfigurationProperties({ WorkerKafkaProperties.class, KafkaProperties.class })
public final class WorkerKafkaBackendAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskBackend.class)
	KafkaTaskBroker kafkaTaskBroker(KafkaProperties kafka, WorkerKafkaProperties properties,
			ObjectProvider<Clock> clock, Environment environment) {
		String groupId = properties.getGroupId();
		if (groupId == null) {
			groupId = environment.getProperty("spring.application.name", "worker");
		}
		KafkaBackendSettings settings = new KafkaBackendSettings(properties.getPrefix(), properties.getPartitions(),
				properties.getReplicationFactor(), groupId, properties.getSendTimeout(), properties.getDelayTiers(),
				kafka.buildProducerProperties(), kafka.buildConsumerProperties(), kafka.buildAdminProperties());
		return new KafkaTaskBroker(settings, clock.getIfAvailable(Clock::systemUTC));
	}

}
