package io.worker.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.worker.QueueInfo;
import io.worker.TaskInspector;
import io.worker.TaskState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queues as {@link TaskInspector#queues()} last reported them, read again at most once per
 * time to live whoever asks (metric scrapes, health checks), so that their cost on the backend is
 * bounded by time, not by how often they are asked.
 */
public final class QueueInfoCache {

	private static final Logger logger = LoggerFactory.getLogger(QueueInfoCache.class);

	private final TaskInspector inspector;

	private final Duration timeToLive;

	private final Clock clock;

	private final List<Consumer<List<QueueInfo>>> refreshListeners = new CopyOnWriteArrayList<>();

	private volatile List<QueueInfo> queues = List.of();

	private volatile @Nullable Instant readAt;

	public QueueInfoCache(TaskInspector inspector, Duration timeToLive, Clock clock) {
		this.inspector = inspector;
		this.timeToLive = timeToLive;
		this.clock = clock;
	}

	/**
	 * The queues, read from the inspector when the last read is older than the time to live. When
	 * the read fails, the last known queues are kept until the next one is due.
	 */
	public List<QueueInfo> queues() {
		if (isStale()) {
			synchronized (this) {
				// another thread may have read them while this one waited
				if (isStale()) {
					refresh();
				}
			}
		}
		return this.queues;
	}

	/** The number of tasks of a queue in one state; 0 for a queue not known. */
	public long size(String queue, TaskState state) {
		for (QueueInfo info : queues()) {
			if (info.name().equals(queue)) {
				return info.size(state);
			}
		}
		return 0;
	}

	/** Be told of the queues each time they are read from the inspector. */
	public void onRefresh(Consumer<List<QueueInfo>> listener) {
		this.refreshListeners.add(listener);
	}

	private boolean isStale() {
		Instant readAt = this.readAt;
		return readAt == null || !this.clock.instant().isBefore(readAt.plus(this.timeToLive));
	}

	private void refresh() {
		try {
			this.queues = List.copyOf(this.inspector.queues());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read queue sizes; keeping the last known ones", ex);
		}
		finally {
			this.readAt = this.clock.instant();
		}
		this.refreshListeners.forEach((listener) -> listener.accept(this.queues));
	}

}
