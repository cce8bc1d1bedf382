package io.worker.spi;

import java.time.Duration;

import io.worker.WorkerInfo;

/**
 * The list of live worker servers, kept from their heartbeats: an optional part of a backend
 * ({@link TaskBackend#workerRegistry()}), read back through {@link io.worker.TaskInspector#workers()}.
 */
public interface WorkerRegistry {

	/**
	 * Register or refresh a server in the list of live workers.
	 * @param worker the server
	 * @param ttl how long the registration lives without another heartbeat
	 */
	void heartbeat(WorkerInfo worker, Duration ttl);

	/** Remove a server from the list of live workers (at shutdown). */
	void unregister(String workerId);

}
