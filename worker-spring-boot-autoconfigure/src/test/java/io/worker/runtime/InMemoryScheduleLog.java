package io.worker.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.worker.spi.ScheduleLog;

/**
 * A {@link ScheduleLog} in memory for unit tests of the stores above it: appends are ordered by a
 * lock, and {@link #truncate} drops the oldest records as a broker's retention would.
 */
final class InMemoryScheduleLog implements ScheduleLog {

	private final List<byte[]> records = new ArrayList<>();

	private long first;

	@Override
	public synchronized void append(byte[] record) {
		this.records.add(record.clone());
	}

	@Override
	public synchronized List<Entry> readAfter(long after) {
		List<Entry> entries = new ArrayList<>();
		for (long position = Math.max(after + 1, this.first); position < this.first + this.records.size(); position++) {
			entries.add(new Entry(position, this.records.get((int) (position - this.first)).clone()));
		}
		return entries;
	}

	/** Drop every record before {@code position}. */
	synchronized void truncate(long position) {
		while (this.first < position && !this.records.isEmpty()) {
			this.records.remove(0);
			this.first++;
		}
	}

	synchronized long end() {
		return this.first + this.records.size();
	}

	synchronized long count(String text) {
		return this.records.stream().filter((record) -> new String(record, StandardCharsets.UTF_8).contains(text)).count();
	}

}
