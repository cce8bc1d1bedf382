package io.worker.bench;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What one measurement found.
 *
 * @param throughput tasks per second
 * @param latency enqueue-to-handler-start percentiles, for the latency workload
 * @param brokerBytesPerTask the broker's memory per queued task, where it can be read
 */
public record Figures(double throughput, @Nullable Latency latency, @Nullable Double brokerBytesPerTask) {

	static Figures throughput(double throughput) {
		return new Figures(throughput, null, null);
	}

	/**
	 * Latency percentiles in milliseconds.
	 *
	 * @param p50 the median
	 * @param p99 the 99th percentile
	 * @param max the largest
	 */
	public record Latency(double p50, double p99, double max) {

		/** The percentiles of samples in nanoseconds. */
		static Latency ofNanos(long[] samples) {
			long[] sorted = samples.clone();
			Arrays.sort(sorted);
			return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
		}

		private static double percentile(long[] sorted, double p) {
			int index = (int) Math.ceil(p * sorted.length) - 1;
			return sorted[Math.max(0, index)] / 1e6;
		}

	}

}
