package io.worker.testsupport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SharedService}: which source a test service comes from, and how it fails.
 */
class SharedServiceTests {

	private static final ServiceAddress CONTAINER = new ServiceAddress("container-host", 32768);

	private static final ServiceAddress LOCAL = new ServiceAddress("127.0.0.1", 6379);

	private final AtomicInteger containerStarts = new AtomicInteger();

	private final AtomicInteger localChecks = new AtomicInteger();

	@Test
	void withoutDockerTheLocalServiceIsUsedAndNoContainerIsStarted() {
		SharedService<ServiceAddress> service = service(false, false, container(), local());
		assertThat(service.get()).isEqualTo(LOCAL);
		assertThat(this.containerStarts).hasValue(0);
	}

	@Test
	void withDockerTheContainerIsUsedAndTheLocalServiceIsNotLookedAt() {
		SharedService<ServiceAddress> service = service(false, true, container(), local());
		assertThat(service.get()).isEqualTo(CONTAINER);
		assertThat(this.localChecks).hasValue(0);
	}

	@Test
	void aLocalServiceNamedByAPropertyIsUsedEvenWithDocker() {
		SharedService<ServiceAddress> service = service(true, true, container(), local());
		assertThat(service.get()).isEqualTo(LOCAL);
		assertThat(this.containerStarts).hasValue(0);
	}

	@Test
	void aContainerThatDoesNotStartFallsBackToTheLocalService() {
		SharedService<ServiceAddress> service = service(false, true, failing(this.containerStarts, "image not found"),
				local());
		assertThat(service.get()).isEqualTo(LOCAL);
		assertThat(this.containerStarts).hasValue(1);
	}

	@Test
	void theServiceIsFoundOnceAndShared() {
		SharedService<ServiceAddress> service = service(false, true, container(), local());
		assertThat(service.get()).isSameAs(service.get());
		assertThat(this.containerStarts).hasValue(1);
	}

	@Test
	void withoutDockerAndLocalServiceTheTestFailsSayingWhy() {
		SharedService<ServiceAddress> service = service(false, false, container(),
				failing(this.localChecks, "no Redis answers at 127.0.0.1:6379"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(service::get)
			.withMessage("Redis for the tests cannot be reached: no Docker engine runs a Testcontainers container; "
					+ "no Redis answers at 127.0.0.1:6379");
	}

	@Test
	void whenNeitherSourceWorksBothReasonsAreGivenAndNotTriedAgain() {
		SharedService<ServiceAddress> service = service(false, true, failing(this.containerStarts, "pull refused"),
				failing(this.localChecks, "no Redis answers at 127.0.0.1:6379"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(service::get)
			.withMessageContaining("container did not start (pull refused)")
			.withMessageContaining("no Redis answers at 127.0.0.1:6379");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(service::get);
		assertThat(this.containerStarts).hasValue(1);
		assertThat(this.localChecks).hasValue(1);
	}

	private SharedService<ServiceAddress> service(boolean localNamed, boolean docker,
			Supplier<ServiceAddress> container, Supplier<ServiceAddress> local) {
		return new SharedService<>("Redis", localNamed, () -> docker, container, local);
	}

	private Supplier<ServiceAddress> container() {
		return () -> {
			this.containerStarts.incrementAndGet();
			return CONTAINER;
		};
	}

	private Supplier<ServiceAddress> local() {
		return () -> {
			this.localChecks.incrementAndGet();
			return LOCAL;
		};
	}

	private static Supplier<ServiceAddress> failing(AtomicInteger attempts, String reason) {
		return () -> {
			attempts.incrementAndGet();
			throw new IllegalStateException(reason);
		};
	}

}
