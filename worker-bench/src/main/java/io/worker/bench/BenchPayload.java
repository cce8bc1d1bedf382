package io.worker.bench;

/**
 * The payload of one benchmark task, the same for every subject.
 *
 * @param id the task's number in its run, from 0: the tracker counts each id
 * @param enqueuedNanos {@link System#nanoTime()} just before the enqueue, for latency
 * @param pad filler that gives the payload its size
 */
public record BenchPayload(int id, long enqueuedNanos, String pad) {

	/** The payload's wire form for the raw baselines: {@code id:nanos:pad}. */
	public String encode() {
		return this.id + ":" + this.enqueuedNanos + ":" + this.pad;
	}

	/** Read what {@link #encode()} wrote. */
	public static BenchPayload decode(String encoded) {
		int first = encoded.indexOf(':');
		int second = encoded.indexOf(':', first + 1);
		return new BenchPayload(Integer.parseInt(encoded, 0, first, 10),
				Long.parseLong(encoded, first + 1, second, 10), encoded.substring(second + 1));
	}

}
