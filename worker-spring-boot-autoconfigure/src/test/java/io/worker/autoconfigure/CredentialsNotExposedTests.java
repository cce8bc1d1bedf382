package io.worker.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.actuate.WorkerEndpoint;
import io.worker.autoconfigure.endpoint.WorkerEndpointAutoConfiguration;
import io.worker.autoconfigure.health.WorkerHealthContributorAutoConfiguration;
import io.worker.autoconfigure.kafka.WorkerKafkaBackendAutoConfiguration;
import io.worker.autoconfigure.rabbitmq.WorkerRabbitBackendAutoConfiguration;
import io.worker.autoconfigure.redis.WorkerRedisBackendAutoConfiguration;
import io.worker.testsupport.TestRabbit;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password of each backend's connection settings, set to a value found nowhere else, never
 * shows in what Worker exposes while the connection fails: the log output of startup, the failed
 * attempts and shutdown, the health details, the {@code /actuator/worker} endpoint's answers (which
 * carry the queues and workers the dashboard renders) and any startup failure.
 */
@ExtendWith(OutputCaptureExtension.class)
class CredentialsNotExposedTests {

	private static final String SECRET = "s3cr3t-" + UUID.randomUUID();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RabbitAutoConfiguration.class, KafkaAutoConfiguration.class, WorkerRedisBackendAutoConfiguration.class,
				WorkerRabbitBackendAutoConfiguration.class, WorkerKafkaBackendAutoConfiguration.class,
				WorkerAutoConfiguration.class, WorkerServerAutoConfiguration.class,
				WorkerHealthContributorAutoConfiguration.class, WorkerEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=worker", "worker.server.heartbeat-interval=200ms",
				"worker.server.forward-interval=100ms", "worker.server.shutdown-timeout=1s");

	@Test
	void redisPasswordOnAWorkingConnection(CapturedOutput output) {
		// the test Redis's default user has no password, so it takes any: the context runs, then
		// the health, the endpoint and the server's logs are looked at
		this.runner
			.withPropertyValues(TestRedis.springProperties("worker.backend=redis",
					"worker.redis.namespace=wtest-secret-" + UUID.randomUUID(), "spring.data.redis.username=default",
					"spring.data.redis.password=" + SECRET, "spring.data.redis.timeout=2s"))
			.run((context) -> assertNothingShowsTheSecret(context, output));
	}

	@Test
	void redisUrlWithPasswordToAClosedPort(CapturedOutput output) {
		this.runner
			.withPropertyValues("worker.backend=redis", "worker.redis.namespace=wtest-secret-" + UUID.randomUUID(),
					"spring.data.redis.url=redis://worker:" + SECRET + "@127.0.0.1:1", "spring.data.redis.timeout=2s",
					"spring.data.redis.connect-timeout=1s")
			.run((context) -> assertNothingShowsTheSecret(context, output));
	}

	@Test
	void rabbitPasswordRefusedByTheBroker(CapturedOutput output) {
		this.runner
			.withPropertyValues("worker.backend=rabbitmq", "spring.rabbitmq.host=" + TestRabbit.address().host(),
					"spring.rabbitmq.port=" + TestRabbit.address().port(),
					"spring.rabbitmq.username=" + TestRabbit.USERNAME, "spring.rabbitmq.password=" + SECRET,
					"spring.rabbitmq.connection-timeout=2s")
			.run((context) -> assertNothingShowsTheSecret(context, output));
	}

	@Test
	void rabbitAddressWithPasswordToAClosedPort(CapturedOutput output) {
		this.runner
			.withPropertyValues("worker.backend=rabbitmq",
					"spring.rabbitmq.addresses=amqp://guest:" + SECRET + "@127.0.0.1:1",
					"spring.rabbitmq.connection-timeout=1s")
			.run((context) -> assertNothingShowsTheSecret(context, output));
	}

	@Test
	void kafkaSaslPasswordToAClosedPort(CapturedOutput output) {
		this.runner
			.withPropertyValues("worker.backend=kafka", "worker.kafka.prefix=wtest-secret-" + UUID.randomUUID(),
					"worker.kafka.send-timeout=2s", "spring.kafka.bootstrap-servers=127.0.0.1:1",
					"spring.kafka.security.protocol=SASL_PLAINTEXT", "spring.kafka.properties.sasl.mechanism=PLAIN",
					"spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
							+ " required username=\"worker\" password=\"" + SECRET + "\";",
					"spring.kafka.ssl.key-store-password=" + SECRET, "spring.kafka.ssl.trust-store-password=" + SECRET,
					"spring.kafka.properties.request.timeout.ms=2000",
					"spring.kafka.properties.default.api.timeout.ms=2000",
					"spring.kafka.admin.properties.default.api.timeout.ms=2000",
					"spring.kafka.producer.properties.max.block.ms=2000")
			.run((context) -> assertNothingShowsTheSecret(context, output));
	}

	private void assertNothingShowsTheSecret(AssertableApplicationContext context, CapturedOutput output) {
		List<String> exposed = new ArrayList<>();
		if (context.getStartupFailure() != null) {
			exposed.add(stackTrace(context.getStartupFailure()));
		}
		else {
			exposed.add(attempt(() -> context.getBean(TaskClient.class).enqueue(Task.of("secret:probe", "x")).id()));
			HealthIndicator health = context.getBean("workerHealthIndicator", HealthIndicator.class);
			exposed.add(attempt(() -> health.health(true)));
			WorkerEndpoint endpoint = context.getBean(WorkerEndpoint.class);
			exposed.add(attempt(endpoint::worker));
			exposed.add(attempt(() -> endpoint.queue("default", null, null, null)));
		}
		context.close();
		exposed.add(output.getAll());
		assertThat(String.join("\n", exposed)).as("what Worker exposed, the log output last")
			.isNotEmpty()
			.doesNotContain(SECRET);
	}

	/** The answer as JSON, or the failure with its whole cause chain. */
	private static String attempt(Supplier<?> action) {
		try {
			return JSON.writeValueAsString(action.get());
		}
		catch (RuntimeException ex) {
			return stackTrace(ex);
		}
	}

	private static String stackTrace(Throwable failure) {
		StringWriter text = new StringWriter();
		failure.printStackTrace(new PrintWriter(text));
		return text.toString();
	}

}
