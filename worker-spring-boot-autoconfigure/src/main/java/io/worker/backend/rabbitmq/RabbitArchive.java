package io.worker.backend.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.worker.TaskDetail;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.backend.rabbitmq.RabbitStreamReader.Reading;
import io.worker.backend.rabbitmq.RabbitStreamReader.StreamRecord;
import io.worker.spi.MalformedTaskException;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The archive of each Worker queue: a RabbitMQ stream, read by offset and never consumed, so that
 * listing loses, reorders and redelivers nothing. A stream cannot delete one entry, so a re-run or
 * deleted entry is followed by a removal marker naming its offset, and listing leaves out every
 * entry a marker names. Markers are small and expire with the stream's retention.
 * <p>
 * Each instance keeps an index of each archive (the offset and task id of every live entry, no
 * bodies): counting reads only the stream's message count when nothing was appended since (the
 * dashboard asks every few seconds), and otherwise only the records after those already indexed;
 * a page is read by its offsets. When the count falls (retention dropped old segments), the index is
 * rebuilt from the stream's start.
 */
final class RabbitArchive {

	/** Header of a removal marker record. */
	static final String MARKER = "worker-archive-marker";

	/** Header of a removal marker: the offset of the entry it removes. */
	static final String REMOVED_OFFSET = "worker-archive-removed-offset";

	private static final String REMOVED = "removed";

	/** The locator of an entry: this prefix and its offset in the stream. */
	private static final String LOCATOR_PREFIX = "offset:";

	private final RabbitStreamReader reader;

	private final RabbitNames names;

	private final RabbitTopology topology;

	private final RabbitPublisher publisher;

	private final RabbitRouter router;

	private final int maxSize;

	private final Clock clock;

	private final Map<String, Index> indexes = new ConcurrentHashMap<>();

	/**
	 * @param maxSize the most entries listed and counted, newest first ({@code worker.archive.max-size})
	 */
	RabbitArchive(RabbitStreamReader reader, RabbitNames names, RabbitTopology topology, RabbitPublisher publisher,
			int maxSize, Clock clock) {
		this.reader = reader;
		this.names = names;
		this.topology = topology;
		this.publisher = publisher;
		this.router = new RabbitRouter(names);
		this.maxSize = maxSize;
		this.clock = clock;
	}

	/** How many tasks the archive of a queue lists. */
	long count(String queue) {
		return live(queue).size();
	}

	/** A page of the archive of a queue, newest first, read by its offsets. */
	List<TaskDetail> list(String queue, int page, int size) {
		List<Long> live = live(queue);
		int from = (int) Math.min((long) page * size, live.size());
		int to = Math.min(from + size, live.size());
		if (from == to) {
			return List.of();
		}
		List<Long> offsets = live.subList(from, to);
		Map<Long, Entry> read = new HashMap<>();
		for (StreamRecord record : this.reader.readRange(this.names.archiveQueue(queue), offsets.get(offsets.size() - 1),
				offsets.get(0))) {
			read.put(record.offset(), new Entry(record.offset(), record.headers(), record.body()));
		}
		return offsets.stream().map(read::get).filter(Objects::nonNull).map((entry) -> entry.detail(queue)).toList();
	}

	/**
	 * Publish an archived task to its queue again (confirmed) with its retries reset, then mark it
	 * removed: a crash in between leaves it listed as well as pending, never lost.
	 * @param handle the entry's locator, or the id of the task (its newest entry)
	 */
	void rerun(String queue, String handle) {
		Entry entry = find(queue, handle);
		TaskMessage task = entry.read();
		if (task == null) {
			throw new IllegalStateException("Archived entry " + handle + " of queue '" + queue + "' is not a readable "
					+ "Worker task (" + entry.reason() + "); it cannot run again, only be deleted");
		}
		// a fresh set of retries: the runtime archives a task whose retries are used up without running it
		TaskMessage again = task.toBuilder().retried(0).build();
		this.topology.declare(List.of(again.queue()));
		this.publisher.await(this.publisher.publish(this.router.task(again, null, this.clock.instant())));
		remove(queue, entry);
	}

	/**
	 * Mark an archived task removed, so that it is listed no more.
	 * @param handle the entry's locator, or the id of the task (its newest entry)
	 */
	void delete(String queue, String handle) {
		remove(queue, find(queue, handle));
	}

	private void remove(String queue, Entry entry) {
		this.publisher.await(this.publisher.publish(marker(queue,
				Map.of(MARKER, REMOVED, REMOVED_OFFSET, Long.toString(entry.offset())))));
	}

	private Entry find(String queue, String handle) {
		Index index = index(queue);
		Long offset;
		synchronized (index) {
			index.refresh();
			offset = handle.startsWith(LOCATOR_PREFIX) ? index.locate(handle.substring(LOCATOR_PREFIX.length()))
					: index.newest(handle);
		}
		if (offset == null) {
			throw new TaskNotFoundException(queue, handle);
		}
		return this.reader.readRange(this.names.archiveQueue(queue), offset, offset)
			.stream()
			.filter((record) -> record.offset() == offset)
			.map((record) -> new Entry(record.offset(), record.headers(), record.body()))
			.findFirst()
			.orElseThrow(() -> new TaskNotFoundException(queue, handle));
	}

	/** The offsets of the entries no marker removed, newest first, at most {@code maxSize}. */
	private List<Long> live(String queue) {
		Index index = index(queue);
		synchronized (index) {
			index.refresh();
			return index.newestFirst(this.maxSize);
		}
	}

	private Index index(String queue) {
		return this.indexes.computeIfAbsent(queue, (name) -> new Index(this.names.archiveQueue(name)));
	}

	/**
	 * The live entries of one archive stream, by offset, with their task ids: read incrementally,
	 * the stream's message count telling whether there is anything new. Used holding its monitor.
	 */
	private final class Index {

		private final String stream;

		private final TreeMap<Long, String> live = new TreeMap<>();

		/** The next offset to read, or -1 to read from the start. */
		private long next = -1;

		/** The stream's message count as of the last reading, this reading's end marker included. */
		private long records = -1;

		Index(String stream) {
			this.stream = stream;
		}

		void refresh() {
			long count = RabbitArchive.this.reader.count(this.stream);
			if (count == this.records && this.next >= 0) {
				return;
			}
			if (count < this.records || count < 0) {
				// retention dropped old segments, or the stream is gone: start again
				this.live.clear();
				this.next = -1;
			}
			if (count < 0) {
				this.records = -1;
				return;
			}
			Reading reading = RabbitArchive.this.reader.readToEnd(this.stream, (this.next < 0) ? "first" : this.next);
			for (StreamRecord record : reading.records()) {
				String marker = record.headers().get(MARKER);
				if (REMOVED.equals(marker)) {
					removed(record.headers().get(REMOVED_OFFSET));
				}
				else if (marker == null) {
					String id = new Entry(record.offset(), record.headers(), record.body()).taskId();
					this.live.put(record.offset(), (id != null) ? id : "");
				}
			}
			// the oldest beyond twice what is listed are never listed again, unless that many are removed
			while (this.live.size() > 2 * RabbitArchive.this.maxSize) {
				this.live.pollFirstEntry();
			}
			this.next = Math.max(this.next, reading.next());
			// what was counted plus this reading's end marker: anything appended since makes it differ
			this.records = count + 1;
		}

		private void removed(@Nullable String offset) {
			try {
				this.live.remove(Long.parseLong(String.valueOf(offset)));
			}
			catch (NumberFormatException ex) {
				// a marker no Worker wrote: nothing to remove
			}
		}

		@Nullable Long locate(String offset) {
			try {
				Long at = Long.valueOf(offset);
				return this.live.containsKey(at) ? at : null;
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

		@Nullable Long newest(String id) {
			for (Map.Entry<Long, String> entry : this.live.descendingMap().entrySet()) {
				if (id.equals(entry.getValue())) {
					return entry.getKey();
				}
			}
			return null;
		}

		List<Long> newestFirst(int max) {
			return this.live.descendingKeySet().stream().limit(max).toList();
		}

	}

	private Outgoing marker(String queue, Map<String, Object> headers) {
		return new Outgoing(this.names.archiveExchange(), queue, true, headers, new byte[0], null, null,
				RabbitPublisher.JSON);
	}

	/**
	 * One record of an archive stream. Worker archives a task with its fields in headers; a task the
	 * broker dead-lettered itself (its delivery limit reached) has them in its body, as it was queued.
	 */
	private record Entry(long offset, Map<String, String> headers, byte[] body) {

		@Nullable String text(String name) {
			return this.headers.get(name);
		}

		@Nullable String taskId() {
			String id = text(TaskEnvelope.ID);
			if (id != null || text(RabbitRouter.ARCHIVE_REASON) != null) {
				return id;
			}
			try {
				return RabbitTaskCodec.read(this.headers, this.body).fields().get(TaskEnvelope.ID);
			}
			catch (MalformedTaskException ex) {
				return null;
			}
		}

		@Nullable String reason() {
			String reason = text(RabbitRouter.ARCHIVE_REASON);
			return (reason != null) ? reason : text(TaskEnvelope.LAST_ERROR);
		}

		/** The task, or {@code null} for a message that was archived because it is not one. */
		@Nullable TaskMessage read() {
			if (text(RabbitRouter.ARCHIVE_REASON) != null) {
				return null;
			}
			try {
				RabbitTaskCodec.Fields task = RabbitTaskCodec.read(this.headers, this.body);
				return TaskEnvelope.read(task.fields(), task.payload());
			}
			catch (MalformedTaskException | IllegalArgumentException ex) {
				return null;
			}
		}

		TaskDetail detail(String queue) {
			String locator = LOCATOR_PREFIX + this.offset;
			TaskMessage task = read();
			if (task != null) {
				return new TaskDetail(task.id(), task.type(), task.queue(), TaskState.ARCHIVED, utf8(task.payload()),
						task.headers(), task.retried(), task.maxRetries(), task.timeout(), task.deadline(),
						task.enqueuedAt(), null, task.lastError(), task.lastFailedAt(), null, null, null, null, task.key(),
						locator);
			}
			String id = (taskId() != null) ? taskId() : locator;
			String type = (text(TaskEnvelope.TYPE) != null) ? text(TaskEnvelope.TYPE) : "unknown";
			Instant archivedAt = archivedAt();
			return new TaskDetail(id, type, queue, TaskState.ARCHIVED, utf8(this.body), Map.of(), 0, null, null, null,
					archivedAt, null, reason(), archivedAt, null, null, null, null, null, locator);
		}

		private Instant archivedAt() {
			try {
				String archivedAt = text(RabbitRouter.ARCHIVED_AT);
				return (archivedAt != null) ? Instant.parse(archivedAt) : Instant.EPOCH;
			}
			catch (DateTimeParseException ex) {
				return Instant.EPOCH;
			}
		}

		private static String utf8(byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}

	}

}
