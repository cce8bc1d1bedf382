package io.worker.spi;
public interface ScheduleLog {
    /** Append one record; returns once the broker confirmed it stored, in log order. Throws IllegalStateException with a clear message on failure or after the log's timeout. */
    void append(byte[] record);
    /** Every retained record after position `after` (exclusive; -1 = from the log's first retained record), oldest first, including at least every record whose append returned before this call began. */
    java.util.List<Entry> readAfter(long after);
    /** Position of one record; positions increase in log order. */
    record Entry(long position, byte[] record) {}
}
