package io.worker.autoconfigure.redis;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the Redis backend. The connection itself is Spring Boot's
 * ({@code spring.data.redis.*}).
 */
@ConfigurationProperties("worker.redis")
public class WorkerRedisProperties {

	/**
	 * Prefix of every Redis key and channel Worker uses. Applications that share a Redis keep
	 * their tasks apart with different namespaces.
	 */
	private String namespace = "worker";

	/**
	 * How long a dequeued task stays leased to its worker without a lease extension; when it
	 * expires the task is recovered and retried.
	 */
	private Duration leaseDuration = Duration.ofSeconds(30);

	public String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(String namespace) {
		this.namespace = namespace;
	}

	public Duration getLeaseDuration() {
		return this.leaseDuration;
	}

	public void setLeaseDuration(Duration leaseDuration) {
		this.leaseDuration = leaseDuration;
	}

}
