package io.worker.backend.rabbitmq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.worker.backend.rabbitmq.RabbitPublisher.Outgoing;
import io.worker.backend.rabbitmq.RabbitStreamReader.StreamRecord;
import io.worker.spi.ScheduleLog;

/**
 * The schedule log on RabbitMQ: the stream {@code <prefix>.schedules}, declared with the shared
 * topology and bounded in bytes ({@link RabbitTopology#SCHEDULE_STREAM_BYTES}). Appends are
 * confirmed publishes; positions are stream offsets. A reading appends an end marker and reads up
 * to it ({@link RabbitStreamReader}), so it holds every record confirmed before it began; the end
 * markers of other readings come back as empty records, keeping offsets consecutive.
 */
final class RabbitScheduleLog implements ScheduleLog {

	private static final byte[] FILLER = new byte[0];

	private final RabbitNames names;

	private final RabbitTopology topology;

	private final RabbitPublisher publisher;

	private final RabbitStreamReader reader;

	RabbitScheduleLog(RabbitNames names, RabbitTopology topology, RabbitPublisher publisher, RabbitStreamReader reader) {
		this.names = names;
		this.topology = topology;
		this.publisher = publisher;
		this.reader = reader;
	}

	@Override
	public void append(byte[] record) {
		String stream = this.names.scheduleStream();
		try {
			this.topology.declare(List.of());
			this.publisher.await(this.publisher.publish(new Outgoing("", stream, true, Map.of(), record, null, null,
					RabbitPublisher.JSON)));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not append to the schedule log, RabbitMQ stream '" + stream + "': "
					+ ex.getMessage(), ex);
		}
	}

	@Override
	public List<Entry> readAfter(long after) {
		String stream = this.names.scheduleStream();
		List<StreamRecord> records;
		try {
			this.topology.declare(List.of());
			records = this.reader.read(stream, (after < 0) ? "first" : (Object) (after + 1), true);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not read the schedule log, RabbitMQ stream '" + stream + "': "
					+ ex.getMessage(), ex);
		}
		List<Entry> entries = new ArrayList<>(records.size());
		for (StreamRecord record : records) {
			// a stream consumer starts at the chunk holding the offset asked for: skip what came before
			if (record.offset() > after) {
				boolean marker = record.headers().containsKey(RabbitStreamReader.END_MARKER);
				entries.add(new Entry(record.offset(), marker ? FILLER : record.body()));
			}
		}
		return entries;
	}

}
