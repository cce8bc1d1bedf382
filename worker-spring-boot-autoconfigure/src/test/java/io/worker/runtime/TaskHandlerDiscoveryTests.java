package io.worker.runtime;

import java.time.Duration;

import io.worker.TaskContext;
import io.worker.TaskHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanInitializationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The annotation scan: what it finds, and the startup errors for handlers it cannot accept.
 */
class TaskHandlerDiscoveryTests {

	private final RuntimeFixture fixture = new RuntimeFixture();

	@Test
	void findsHandlersByValueOrTypeWithTheirSettings() {
		this.fixture.handlers(new Valid());
		assertThat(this.fixture.registry.get("by-value")).isNotNull();
		TaskHandlerMethod byType = this.fixture.registry.get("by-type");
		assertThat(byType).isNotNull();
		assertThat(byType.settings().queue()).isEqualTo("critical");
		assertThat(byType.settings().maxRetries()).isEqualTo(2);
		assertThat(byType.settings().timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(byType.settings().noRetryFor()).containsExactly(IllegalArgumentException.class);
		assertThat(this.fixture.registry.get("no-payload")).isNotNull();
	}

	@Test
	void twoHandlersOfOneTypeFailStartupNamingBoth() {
		this.fixture.handlers(new Valid());
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.fixture.handlers(new Duplicate()))
			.withMessageContaining("Two @TaskHandler methods handle task type 'by-value'")
			.withMessageContaining("Valid.byValue")
			.withMessageContaining("Duplicate.again");
	}

	@Test
	void twoPayloadParametersFailStartup() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.fixture.handlers(new TwoPayloads()))
			.withMessageContaining("TwoPayloads.handle has an unsupported signature");
	}

	@Test
	void missingTypeFailsStartup() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.fixture.handlers(new NoType()))
			.withMessageContaining("must name a task type");
	}

	@Test
	void invalidTimeoutFailsStartup() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> this.fixture.handlers(new BadTimeout()))
			.withMessageContaining("invalid timeout 'soon'");
	}

	static class Valid {

		@TaskHandler("by-value")
		void byValue(String payload) {
		}

		@TaskHandler(type = "by-type", queue = "critical", maxRetries = 2, timeout = "30s",
				noRetryFor = IllegalArgumentException.class)
		void byType(TaskContext context, byte[] payload) {
		}

		@TaskHandler("no-payload")
		void noPayload() {
		}

	}

	static class Duplicate {

		@TaskHandler("by-value")
		void again(String payload) {
		}

	}

	static class TwoPayloads {

		@TaskHandler("two")
		void handle(String first, String second) {
		}

	}

	static class NoType {

		@TaskHandler
		void handle(String payload) {
		}

	}

	static class BadTimeout {

		@TaskHandler(type = "bad", timeout = "soon")
		void handle(String payload) {
		}

	}

}
