package io.worker.autoconfigure.metrics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Worker's meters.
 */
@ConfigurationProperties("worker.metrics")
public class WorkerMetricsProperties {

	/**
	 * How long queue sizes read from the backend are reused by the worker.queue.size gauges and the
	 * health details: at most one read per time to live, however often they are scraped.
	 */
	private Duration queueSizeTtl = Duration.ofSeconds(10);

	public Duration getQueueSizeTtl() {
		return this.queueSizeTtl;
	}

	public void setQueueSizeTtl(Duration queueSizeTtl) {
		this.queueSizeTtl = queueSizeTtl;
	}

}
