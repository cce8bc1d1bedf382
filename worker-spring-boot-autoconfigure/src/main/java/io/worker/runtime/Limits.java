package io.worker.runtime;

/**
 * The bounds on what a task carries besides its payload, so that neither an enqueuer nor a handler
 * can make a task, an error or a page grow without end. Texts that only describe (errors, progress
 * messages) are shortened with a marker; what a task is made of (headers, a batch, a result) is
 * refused whole with a message naming the property.
 *
 * @param maxBatchSize the most tasks one {@code enqueueAll} takes
 * @param maxHeaders the most headers one task carries
 * @param maxHeaderBytes the most bytes, as UTF-8, of one task's header names and values together
 * @param maxResultBytes the largest handler result kept, in bytes of JSON
 * @param maxErrorLength the most characters of a task's last error kept
 * @param maxProgressMessageLength the most characters of a progress message kept
 */
public record Limits(int maxBatchSize, int maxHeaders, long maxHeaderBytes, long maxResultBytes, int maxErrorLength,
		int maxProgressMessageLength) {

	/** The defaults of the {@code worker.limits.*} properties. */
	public static final Limits DEFAULT = new Limits(10_000, 64, 16 * 1024, 1024 * 1024, 8 * 1024, 1024);

	/** What ends a shortened text, before the original length. */
	public static final String TRUNCATED = "… [truncated, characters in all: ";

	public Limits {
		if (maxBatchSize < 1 || maxHeaders < 0 || maxHeaderBytes < 0 || maxResultBytes < 1 || maxErrorLength < 1
				|| maxProgressMessageLength < 1) {
			throw new IllegalArgumentException("Limits must be positive: " + maxBatchSize + ", " + maxHeaders + ", "
					+ maxHeaderBytes + ", " + maxResultBytes + ", " + maxErrorLength + ", " + maxProgressMessageLength);
		}
	}

	/** A task's error, shortened to {@link #maxErrorLength()} characters with a marker. */
	public String error(String error) {
		return truncate(error, this.maxErrorLength);
	}

	/** A progress message, shortened to {@link #maxProgressMessageLength()} characters with a marker. */
	public String progressMessage(String message) {
		return truncate(message, this.maxProgressMessageLength);
	}

	static String truncate(String text, int max) {
		if (text.length() <= max) {
			return text;
		}
		int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
		return text.substring(0, end) + TRUNCATED + text.length() + "]";
	}

}
