package io.worker.bench;

/**
 * What is measured. Every workload but the latency one runs a no-op handler; the drain workloads
 * start their consumers only once every task is queued.
 */
public enum Workload {

	/** One producer thread awaiting each enqueue. */
	ENQUEUE_ONE("enqueue-1", "enqueue, 1 producer", 0),

	/** Eight producer threads, each awaiting each of its enqueues. */
	ENQUEUE_EIGHT("enqueue-8", "enqueue, 8 producers", 0),

	/** {@code enqueueAll} in batches of {@link #BATCH}. */
	ENQUEUE_BATCH("enqueue-batch", "enqueueAll, batches of 1,000", 0),

	/** N tasks queued, then drained: first to last completion. */
	DRAIN("drain", "drain", 0),

	/** {@link #DRAIN} with a 1 KB payload. */
	DRAIN_1KB("drain-1kb", "drain, 1 KB payload", 1024),

	/** {@link #DRAIN} with a 64 KB payload. */
	DRAIN_64KB("drain-64kb", "drain, 64 KB payload", 64 * 1024),

	/**
	 * {@link #DRAIN} of I/O-bound tasks: each handler sleeps {@link #IO_MILLIS} ms, at concurrency
	 * {@link #IO_CONCURRENCY} (Worker with {@code --virtual-threads} runs them on virtual threads).
	 */
	DRAIN_IO("drain-io", "drain, handler sleeps 20 ms", 0),

	/** Tasks enqueued at a fixed rate while consumers run: enqueue-to-handler-start latency. */
	LATENCY("latency", "latency at fixed rate", 0),

	/** {@link #DRAIN} at growing queue sizes, with the broker's memory per queued task. */
	SCALE("scale", "scale: drain of N queued", 0);

	/** The batch size of {@link #ENQUEUE_BATCH}, also used to fill queues before a drain. */
	public static final int BATCH = 1000;

	/** How long each handler of {@link #DRAIN_IO} sleeps, standing for a call to another service. */
	public static final int IO_MILLIS = 20;

	/** The concurrency {@link #DRAIN_IO} runs at. */
	public static final int IO_CONCURRENCY = 1000;

	private final String id;

	private final String title;

	private final int payloadBytes;

	Workload(String id, String title, int payloadBytes) {
		this.id = id;
		this.title = title;
		this.payloadBytes = payloadBytes;
	}

	/** A short name, also the one the BullMQ script takes. */
	public String id() {
		return this.id;
	}

	public String title() {
		return this.title;
	}

	public int payloadBytes() {
		return this.payloadBytes;
	}

	/** Whether the workload measures throughput of a drain (and so has a raw-baseline ratio). */
	public boolean isDrain() {
		return this == DRAIN || this == DRAIN_1KB || this == DRAIN_64KB || this == DRAIN_IO || this == SCALE;
	}

	/** Whether the workload measures enqueue throughput. */
	public boolean isEnqueue() {
		return this == ENQUEUE_ONE || this == ENQUEUE_EIGHT || this == ENQUEUE_BATCH;
	}

}
