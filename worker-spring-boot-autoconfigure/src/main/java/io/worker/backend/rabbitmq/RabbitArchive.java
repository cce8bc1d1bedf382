package io.worker.backend.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.worker.TaskDetail;
import io.worker.TaskNotFoundException;
import io.worker.TaskState;
import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.spi.MalformedTaskException;
import io.worker.spi.TaskEnvelope;
import io.worker.spi.TaskMessage;
import org.jspecify.annotations.Nullable;

/**
 * The archive of each Worker queue: a RabbitMQ stream, read by offset and never consumed, so that
 * listing loses, reorders and redelivers nothing. A stream cannot delete one entry, so a re-run or
 * deleted entry is followed by a removal marker naming its offset, and listing leaves out every
 * entry a marker names; {@link RabbitStreamReader} reads it up to now. Markers are small and expire
 * with the stream's retention. Listing reads the whole stream: fine for thousands of
 * archived tasks, slow for millions.
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

	/** A page of the archive of a queue, newest first. */
	List<TaskDetail> list(String queue, int page, int size) {
		List<Entry> live = live(queue);
		int from = (int) Math.min((long) page * size, live.size());
		int to = Math.min(from + size, live.size());
		return live.subList(from, to).stream().map((entry) -> entry.detail(queue)).toList();
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
		List<Entry> live = live(queue);
		if (handle.startsWith(LOCATOR_PREFIX)) {
			String offset = handle.substring(LOCATOR_PREFIX.length());
			return live.stream()
				.filter((entry) -> Long.toString(entry.offset()).equals(offset))
				.findFirst()
				.orElseThrow(() -> new TaskNotFoundException(queue, handle));
		}
		return live.stream()
			.filter((entry) -> handle.equals(entry.taskId()))
			.findFirst()
			.orElseThrow(() -> new TaskNotFoundException(queue, handle));
	}

	/** The entries no marker removed, newest first, at most {@code maxSize}. */
	private List<Entry> live(String queue) {
		List<Entry> records = this.reader.read(this.names.archiveQueue(queue), "first")
			.stream()
			.map((record) -> new Entry(record.offset(), record.headers(), record.body()))
			.toList();
		Set<Long> removed = new HashSet<>();
		for (Entry entry : records) {
			if (REMOVED.equals(entry.text(MARKER))) {
				removed.add(Long.parseLong(entry.text(REMOVED_OFFSET)));
			}
		}
		List<Entry> live = new ArrayList<>();
		for (int i = records.size() - 1; i >= 0 && live.size() < this.maxSize; i--) {
			Entry entry = records.get(i);
			if (entry.text(MARKER) == null && !removed.contains(entry.offset())) {
				live.add(entry);
			}
		}
		return live;
	}

	private Outgoing marker(String queue, Map<String, Object> headers) {
		return new Outgoing(this.names.archiveExchange(), queue, true, headers, new byte[0], null, null);
	}

	/** One record of an archive stream. */
	private record Entry(long offset, Map<String, String> headers, byte[] body) {

		@Nullable String text(String name) {
			return this.headers.get(name);
		}

		@Nullable String taskId() {
			return text(TaskEnvelope.ID);
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
				return TaskEnvelope.read(this.headers, this.body);
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
