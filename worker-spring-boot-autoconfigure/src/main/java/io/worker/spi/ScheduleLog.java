package io.worker.spi;

/**
 * One totally ordered, append-only log shared by every instance of a broker backend, over which
 * {@code io.worker.runtime.LogScheduleStore} keeps recurring tasks: a RabbitMQ stream, or a
 * one-partition Kafka topic. Every instance appends its records (definitions, claims, advances,
 * fires, snapshots) and replays everyone's; because all of them read the same records in the same
 * order, they all take the same decisions, so the first claim of a tick in log order wins it.
 * <p>
 * Positions are the broker's offsets: the first message ever stored has position {@code 0} and
 * each message's position is the previous one's plus one, so a reader tells a log truncated by
 * retention (its first retained position is above the one expected) from a complete one. A log
 * whose broker stores messages of its own in the log (a RabbitMQ stream's end markers) returns
 * each of them as an entry with an empty record, which readers skip, so that positions stay
 * consecutive. Records are opaque bytes; a record the store cannot read is skipped by every reader
 * alike.
 */
public interface ScheduleLog {

	/**
	 * Append one record; returns once the broker confirmed it stored, in log order. Throws
	 * IllegalStateException with a clear message on failure or after the log's timeout.
	 * @param record the record's bytes
	 * @throws IllegalStateException when the broker refused the record or did not confirm it in
	 * time; the record may then still have been stored
	 */
	void append(byte[] record);

	/**
	 * Every retained record after position {@code after} (exclusive; -1 = from the log's first
	 * retained record), oldest first, including at least every record whose append returned before
	 * this call began.
	 * @param after the position of the last record already read, or {@code -1} for none
	 * @return the records after it, oldest first; empty when there are none
	 * @throws IllegalStateException when the log cannot be read
	 */
	java.util.List<Entry> readAfter(long after);

	/**
	 * Position of one record; positions increase in log order.
	 *
	 * @param position the record's offset in the log
	 * @param record the record's bytes, as appended
	 */
	record Entry(long position, byte[] record) {
	}

}
