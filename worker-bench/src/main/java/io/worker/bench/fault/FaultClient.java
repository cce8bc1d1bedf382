package io.worker.bench.fault;

import java.util.HashMap;
import java.util.Map;

import io.worker.TaskClient;
import io.worker.TaskInspector;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/** The harness's own client-only application (no worker server), straight on the broker. */
final class FaultClient implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private FaultClient(ConfigurableApplicationContext context) {
		this.context = context;
	}

	static FaultClient open(Map<String, Object> properties) {
		Map<String, Object> client = new HashMap<>(properties);
		client.put("worker.server.enabled", false);
		client.put("worker.scheduler.enabled", false);
		client.put("logging.level.root", "WARN");
		SpringApplication application = new SpringApplication(ClientApplication.class);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setDefaultProperties(client);
		return new FaultClient(application.run());
	}

	TaskClient client() {
		return this.context.getBean(TaskClient.class);
	}

	TaskInspector inspector() {
		return this.context.getBean(TaskInspector.class);
	}

	@Override
	public void close() {
		this.context.close();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClientApplication {

	}

}
