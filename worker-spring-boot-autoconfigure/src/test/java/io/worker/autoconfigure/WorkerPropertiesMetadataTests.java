package io.worker.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata the configuration processor generates from
 * {@link WorkerProperties}.
 */
class WorkerPropertiesMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	@Test
	void metadataDescribesEveryWorkerProperty() throws IOException {
		Map<String, JsonNode> properties = workerProperties();
		assertThat(properties).containsKeys("worker.enabled", "worker.backend", "worker.client.max-payload-size",
				"worker.server.enabled", "worker.server.concurrency", "worker.server.strict-priority",
				"worker.server.shutdown-timeout", "worker.queues", "worker.defaults.max-retries",
				"worker.defaults.timeout", "worker.defaults.backoff.strategy", "worker.defaults.backoff.jitter",
				"worker.tasks", "worker.archive.max-size", "worker.archive.max-age", "worker.memory.inline",
				"worker.memory.recorded-tasks", "worker.limits.max-batch-size", "worker.limits.max-headers",
				"worker.limits.max-header-size", "worker.limits.max-result-size", "worker.limits.max-error-length",
				"worker.limits.max-progress-message-length", "worker.limits.max-page-size", "worker.scheduler.enabled", "worker.scheduler.interval",
				"worker.scheduler.misfire-threshold", "worker.scheduler.history-size", "worker.scheduler.schedules",
				"worker.dashboard.enabled", "worker.dashboard.path", "worker.dashboard.read-only",
				"worker.dashboard.allow-unauthenticated-remote", "worker.dashboard.masked-fields",
				"worker.dashboard.viewer-authority", "worker.dashboard.operator-authority",
				"worker.dashboard.search-scan-limit");
		assertThat(properties).allSatisfy((name, property) -> assertThat(property.path("description").asString())
			.as("description of %s", name)
			.isNotBlank());
	}

	@Test
	void metadataGivesDefaultValues() throws IOException {
		Map<String, JsonNode> properties = workerProperties();
		assertThat(properties.get("worker.enabled").path("defaultValue").asBoolean()).isTrue();
		assertThat(properties.get("worker.server.concurrency").path("defaultValue").asInt()).isEqualTo(10);
		assertThat(properties.get("worker.dashboard.path").path("defaultValue").asString()).isEqualTo("/worker");
		assertThat(properties.get("worker.dashboard.read-only").path("defaultValue").asBoolean()).isTrue();
	}

	private Map<String, JsonNode> workerProperties() throws IOException {
		JsonMapper mapper = JsonMapper.builder().build();
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (URL url : Collections.list(getClass().getClassLoader().getResources(METADATA))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith("worker.")) {
						properties.put(name, property);
					}
				}
			}
		}
		assertThat(properties).as("worker.* properties in %s", METADATA).isNotEmpty();
		return properties;
	}

}
