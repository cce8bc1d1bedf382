package io.worker.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * Where one test service comes from, chosen once per JVM and shared by every test class: a
 * Testcontainers container when a Docker engine is there, else (or when the container does not
 * start) the local service; only the local one when a system property names it. Fails, never
 * skips, when none can be reached, saying why for each; the failure is remembered, so a missing
 * service costs one attempt per JVM.
 *
 * @param <T> what the tests get: the service's coordinates
 */
final class SharedService<T> {

	private final String name;

	private final boolean localNamed;

	private final BooleanSupplier dockerAvailable;

	private final Supplier<T> container;

	private final Supplier<T> local;

	private @Nullable T service;

	private @Nullable String failure;

	/**
	 * @param name the service, for messages
	 * @param localNamed whether a system property names the local service, which is then the only one tried
	 * @param dockerAvailable whether a Docker engine can run containers
	 * @param container starts the container and gives its coordinates; throws when it cannot
	 * @param local checks the local service and gives its coordinates; throws, saying how to start it,
	 * when it is not there
	 */
	SharedService(String name, boolean localNamed, BooleanSupplier dockerAvailable, Supplier<T> container,
			Supplier<T> local) {
		this.name = name;
		this.localNamed = localNamed;
		this.dockerAvailable = dockerAvailable;
		this.container = container;
		this.local = local;
	}

	/** A service that asks Testcontainers whether a Docker engine is there. */
	static <T> SharedService<T> of(String name, boolean localNamed, Supplier<T> container, Supplier<T> local) {
		return new SharedService<>(name, localNamed, () -> DockerClientFactory.instance().isDockerAvailable(),
				container, local);
	}

	/** The service's coordinates, finding the service on first use; an {@link AssertionError} when there is none. */
	synchronized T get() {
		if (this.service == null && this.failure == null) {
			find();
		}
		if (this.service == null) {
			throw new AssertionError(this.failure);
		}
		return this.service;
	}

	private void find() {
		List<String> reasons = new ArrayList<>();
		if (!this.localNamed) {
			if (!this.dockerAvailable.getAsBoolean()) {
				reasons.add("no Docker engine runs a Testcontainers container");
			}
			else {
				try {
					this.service = this.container.get();
					return;
				}
				catch (RuntimeException ex) {
					String reason = "its Testcontainers container did not start (" + ex.getMessage() + ")";
					reasons.add(reason);
					// Docker is there but the container failed: say so, or a working fallback hides it
					System.err.println(this.name + ": trying the local service, as " + reason);
				}
			}
		}
		try {
			this.service = this.local.get();
		}
		catch (RuntimeException ex) {
			reasons.add(ex.getMessage());
			this.failure = this.name + " for the tests cannot be reached: " + String.join("; ", reasons);
		}
	}

}
