package io.worker.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.worker.autoconfigure.dashboard.WorkerDashboardProperties;
import io.worker.autoconfigure.kafka.WorkerKafkaProperties;
import io.worker.autoconfigure.metrics.WorkerMetricsProperties;
import io.worker.autoconfigure.rabbitmq.WorkerRabbitProperties;
import io.worker.autoconfigure.redis.WorkerRedisProperties;
import io.worker.autoconfigure.scheduler.WorkerSchedulerProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example files in {@code config/} are documentation users copy: every {@code worker.*} key in
 * them must bind to a real property, with a valid value, or the docs have drifted from the code.
 */
class ExampleConfigurationTests {

	private static final ConfigurationPropertyName REDIS = ConfigurationPropertyName.of("worker.redis");

	private static final ConfigurationPropertyName METRICS = ConfigurationPropertyName.of("worker.metrics");

	private static final ConfigurationPropertyName RABBITMQ = ConfigurationPropertyName.of("worker.rabbitmq");

	private static final ConfigurationPropertyName KAFKA = ConfigurationPropertyName.of("worker.kafka");

	private static final ConfigurationPropertyName SCHEDULER = ConfigurationPropertyName.of("worker.scheduler");

	private static final ConfigurationPropertyName DASHBOARD = ConfigurationPropertyName.of("worker.dashboard");

	@ParameterizedTest
	@ValueSource(strings = { "config.yaml", "featureflags.yaml" })
	void everyWorkerKeyBindsToAPropertyWithAValidValue(String file) throws IOException {
		Path path = Path.of("..", "config", file);
		assertThat(path).exists();
		List<PropertySource<?>> documents = new YamlPropertySourceLoader().load(file,
				new FileSystemResource(path));
		assertThat(documents).isNotEmpty();
		for (PropertySource<?> document : documents) {
			ConfigurationPropertySource source = ConfigurationPropertySources.from(document).iterator().next();
			BindHandler strict = new NoUnboundElementsBindHandler(BindHandler.DEFAULT);
			WorkerProperties properties = new Binder(
					source.filter((name) -> !REDIS.isAncestorOf(name) && !METRICS.isAncestorOf(name)
						&& !RABBITMQ.isAncestorOf(name) && !KAFKA.isAncestorOf(name) && !SCHEDULER.isAncestorOf(name)
						&& !DASHBOARD.isAncestorOf(name)))
				.bindOrCreate("worker", Bindable.of(WorkerProperties.class), strict);
			WorkerSettings.validate(properties);
			new Binder(source).bindOrCreate("worker.redis", Bindable.of(WorkerRedisProperties.class), strict);
			new Binder(source).bindOrCreate("worker.metrics", Bindable.of(WorkerMetricsProperties.class), strict);
			new Binder(source).bindOrCreate("worker.rabbitmq", Bindable.of(WorkerRabbitProperties.class), strict);
			new Binder(source).bindOrCreate("worker.kafka", Bindable.of(WorkerKafkaProperties.class), strict);
			new Binder(source).bindOrCreate("worker.scheduler", Bindable.of(WorkerSchedulerProperties.class), strict);
			new Binder(source).bindOrCreate("worker.dashboard", Bindable.of(WorkerDashboardProperties.class), strict);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "config.yaml", "featureflags.yaml" })
	void typesWithAColonKeepItInTheBoundKey(String file) throws IOException {
		boolean bound = new YamlPropertySourceLoader().load(file, new FileSystemResource(Path.of("..", "config", file)))
			.stream()
			.map((document) -> new Binder(ConfigurationPropertySources.from(document))
				.bindOrCreate("worker", Bindable.of(WorkerProperties.class)))
			.flatMap((properties) -> properties.getTasks().keySet().stream())
			.anyMatch((type) -> type.startsWith("user:"));
		assertThat(bound).isTrue();
	}

}
