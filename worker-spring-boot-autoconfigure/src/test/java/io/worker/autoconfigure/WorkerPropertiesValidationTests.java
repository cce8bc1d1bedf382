package io.worker.autoconfigure;

import io.worker.autoconfigure.health.WorkerHealthContributorAutoConfiguration;
import io.worker.testsupport.PropertyValues;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the validation of {@link WorkerProperties}: every invalid value fails startup with the
 * name of its property.
 */
class WorkerPropertiesValidationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerHealthContributorAutoConfiguration.class));

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			worker.server.concurrency           | 0
			worker.queues.low.weight            | 0
			worker.queues.low.concurrency       | 0
			worker.queues.low.rate-limit.permits | 0
			worker.queues.low.rate-limit.period | 0s
			worker.server.shutdown-timeout      | -1s
			worker.server.forward-interval      | 0s
			worker.server.recover-interval      | 0s
			worker.server.janitor-interval      | 0s
			worker.server.heartbeat-interval    | 0s
			worker.client.max-payload-size      | 0B
			worker.defaults.timeout             | 0s
			worker.defaults.max-retries         | -1
			worker.defaults.backoff.jitter      | 1.5
			worker.defaults.backoff.jitter      | -0.1
			worker.defaults.backoff.multiplier  | 0.5
			worker.defaults.backoff.initial-delay | -1s
			worker.defaults.backoff.max-delay   | -1s
			worker.tasks[a:b].max-retries       | -1
			worker.tasks[a:b].timeout           | 0s
			worker.tasks[a:b].queue             | ' '
			worker.tasks[a:b].backoff.jitter    | 2
			worker.archive.max-age              | -1d
			worker.archive.max-size             | -1
			worker.memory.recorded-tasks        | -1
			worker.limits.max-batch-size        | 0
			worker.limits.max-headers           | -1
			worker.limits.max-headers           | 101
			worker.limits.max-header-size       | 33KB
			worker.limits.max-result-size       | 0B
			worker.limits.max-error-length      | 99
			worker.limits.max-error-length      | 16385
			worker.limits.max-progress-message-length | 0
			worker.limits.max-page-size         | 0
			worker.limits.dashboard-page-size   | 0
			worker.limits.dashboard-page-size   | 1001
			""")
	void invalidValueFailsStartupNamingItsProperty(String name, String value) {
		this.contextRunner.withInitializer(PropertyValues.of(name, value)).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException invalid = findInCauses(context.getStartupFailure());
			assertThat(invalid.getName()).isEqualTo(name);
			assertThat(invalid).hasMessageContaining(name);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			worker.server.concurrency           | 1
			worker.queues.low.weight            | 1
			worker.server.shutdown-timeout      | 0s
			worker.defaults.max-retries         | 0
			worker.defaults.backoff.jitter      | 0
			worker.defaults.backoff.jitter      | 1
			worker.defaults.backoff.multiplier  | 1
			worker.tasks[a:b].max-retries       | 0
			worker.archive.max-size             | 0
			worker.limits.max-headers           | 0
			worker.limits.max-headers           | 100
			worker.limits.max-header-size       | 32KB
			worker.limits.max-error-length      | 16384
			worker.limits.dashboard-page-size   | 1
			worker.limits.dashboard-page-size   | 1000
			""")
	void boundaryValueIsAccepted(String name, String value) {
		this.contextRunner.withInitializer(PropertyValues.of(name, value))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			worker.queues[a{b}].weight       | worker.queues.a{b}
			worker.queues[a b].weight        | worker.queues.a b
			worker.queues[a..b].weight       | worker.queues.a..b
			worker.queues[.a].weight         | worker.queues..a
			worker.queues[a*].weight         | worker.queues.a*
			worker.tasks.report.queue=mail{1} | worker.tasks[report].queue
			worker.tasks.report.queue=a#b     | worker.tasks[report].queue
			worker.tasks.report.queue=mail.   | worker.tasks[report].queue
			""")
	void queueNameNoBackendCanUseFailsStartupNamingItsProperty(String property, String name) {
		String assignment = property.contains("=") ? property : property + "=1";
		this.contextRunner.withPropertyValues(assignment).run((context) -> {
			assertThat(context).hasFailed();
			InvalidConfigurationPropertyValueException invalid = findInCauses(context.getStartupFailure());
			assertThat(invalid.getName()).isEqualTo(name);
			assertThat(invalid).hasMessageContaining("queue name");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			worker.queues.mail-2.weight=1
			worker.queues[billing.eu_west].weight=1
			worker.tasks.report.queue=Reports-2024
			""")
	void queueNameEveryBackendCanUseIsAccepted(String assignment) {
		this.contextRunner.withPropertyValues(assignment).run((context) -> assertThat(context).hasNotFailed());
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
