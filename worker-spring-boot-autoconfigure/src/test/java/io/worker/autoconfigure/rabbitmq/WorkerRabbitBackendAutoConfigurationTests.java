package io.worker.autoconfigure.rabbitmq;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerBackendUnavailable;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.backend.rabbitmq.RabbitSettings.QueueType;
import io.worker.backend.rabbitmq.RabbitTaskBroker;
import io.worker.runtime.WorkerServer;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.rabbitmq.RabbitVirtualHost;
import io.worker.testsupport.TestRabbit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link WorkerRabbitBackendAutoConfiguration}, against a virtual host of their own.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerRabbitBackendAutoConfigurationTests {

	@RegisterExtension
	static final RabbitVirtualHost virtualHost = RabbitVirtualHost.perTestClass();

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class,
					WorkerRabbitBackendAutoConfiguration.class, WorkerAutoConfiguration.class))
			.withPropertyValues(TestRabbit.springProperties("spring.rabbitmq.virtual-host=" + virtualHost.name()));
	}

	@Test
	void providesTheRabbitBrokerWhenTheBackendIsRabbitmq() {
		contextRunner()
			.withPropertyValues("worker.backend=rabbitmq", "worker.rabbitmq.prefix=autoconfig",
					"worker.rabbitmq.queue-type=classic",
					"worker.rabbitmq.confirm-timeout=3s", "worker.rabbitmq.delivery-limit=50", "worker.queues.mail.weight=2")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RabbitTaskBroker.class).hasSingleBean(TaskClient.class);
				WorkerRabbitProperties properties = context.getBean(WorkerRabbitProperties.class);
				assertThat(properties.getPrefix()).isEqualTo("autoconfig");
				assertThat(properties.getQueueType()).isEqualTo(QueueType.CLASSIC);
				assertThat(properties.getConfirmTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getDeliveryLimit()).isEqualTo(50);
				context.getBean(RabbitTaskBroker.class).ping();
				// the configured queue was declared at startup
				assertThat(virtualHost.messageCount("autoconfig.queue.mail")).isZero();
				assertThat(virtualHost.messageCount("autoconfig.archive.mail")).isZero();
			});
	}

	@Test
	void runsTheApplicationsHandlersOnRabbitmq() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class,
					WorkerRabbitBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkerServerAutoConfiguration.class))
			.withPropertyValues(TestRabbit.springProperties("spring.rabbitmq.virtual-host=" + virtualHost.name(),
					"worker.backend=rabbitmq", "worker.rabbitmq.prefix=endtoend"))
			.withUserConfiguration(HandlerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(WorkerServer.class);
				context.getBean(TaskClient.class).enqueue("test:greet", "Ada");
				Handlers handlers = context.getBean(Handlers.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> handlers.greeted.contains("Ada"));
			});
	}

	@Test
	void warnsAboutTaskTimeoutsLongerThanTheConsumerTimeout(CapturedOutput output) {
		contextRunner()
			.withPropertyValues("worker.backend=rabbitmq", "worker.rabbitmq.prefix=timeouts",
					"worker.rabbitmq.consumer-timeout=20m", "worker.defaults.timeout=10m",
					"worker.tasks.report.timeout=1h")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("worker.tasks[report].timeout=PT1H is longer than RabbitMQ's "
						+ "consumer_timeout (worker.rabbitmq.consumer-timeout=PT20M)")
					.doesNotContain("worker.defaults.timeout=PT10M is longer");
			});
	}

	@Test
	void backsOffToAUserBackend() {
		contextRunner().withPropertyValues("worker.backend=rabbitmq")
			.withUserConfiguration(UserBackendConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(TaskBackend.class)
				.doesNotHaveBean(RabbitTaskBroker.class));
	}

	@Test
	void providesNoBrokerWhenWorkerIsDisabled() {
		contextRunner().withPropertyValues("worker.backend=rabbitmq", "worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TaskBackend.class));
	}

	@Test
	void providesNoBrokerForAnotherBackend() {
		contextRunner().withPropertyValues("worker.backend=noop")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RabbitTaskBroker.class));
	}

	@Test
	void providesNoBrokerWithoutSpringRabbit() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerRabbitBackendAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ConnectionFactory.class))
			.withPropertyValues("worker.backend=rabbitmq")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskBackend.class)
				.getBean(WorkerBackendUnavailable.class)
				.satisfies((unavailable) -> assertThat(unavailable.reason())
					.contains("org.springframework.boot:spring-boot-starter-amqp")));
	}

	@Test
	void withoutAConnectionFactoryStartupFailsNamingTheStarter() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(WorkerRabbitBackendAutoConfiguration.class, WorkerAutoConfiguration.class))
			.withPropertyValues("worker.backend=rabbitmq")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("worker.backend")
				.hasMessageContaining("no RabbitMQ ConnectionFactory bean")
				.hasMessageContaining("spring-boot-starter-amqp"));
	}

	@Test
	void providesNoBrokerWithoutAConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WorkerRabbitBackendAutoConfiguration.class))
			.withPropertyValues("worker.backend=rabbitmq")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TaskBackend.class)
				.hasSingleBean(WorkerBackendUnavailable.class));
	}

	@Test
	void metadataDescribesEveryRabbitProperty() throws IOException {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (URL url : Collections.list(getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : JsonMapper.builder().build().readTree(in).path("properties")) {
					if (property.path("name").asString().startsWith("worker.rabbitmq.")) {
						properties.put(property.path("name").asString(), property);
					}
				}
			}
		}
		assertThat(properties).containsOnlyKeys("worker.rabbitmq.prefix", "worker.rabbitmq.queue-type",
				"worker.rabbitmq.confirm-timeout", "worker.rabbitmq.delivery-limit",
				"worker.rabbitmq.consumer-timeout");
		assertThat(properties).allSatisfy((name, property) -> assertThat(property.path("description").asString())
			.as("description of %s", name)
			.isNotBlank());
		assertThat(properties.get("worker.rabbitmq.prefix").path("defaultValue").asString()).isEqualTo("worker");
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlerConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		final Set<String> greeted = ConcurrentHashMap.newKeySet();

		@TaskHandler("test:greet")
		public void greet(String name) {
			this.greeted.add(name);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBackendConfiguration {

		@Bean
		TaskBackend userBackend() {
			return mock(TaskBackend.class);
		}

	}

}
