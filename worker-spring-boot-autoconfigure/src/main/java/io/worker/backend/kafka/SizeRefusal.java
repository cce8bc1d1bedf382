package io.worker.backend.kafka;

import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Whether Kafka refused a record as too large: larger than its topic's {@code max.message.bytes}
 * or the producer's {@code max.request.size}. Kafka refuses such a record every time, so a writer
 * that kept trying would never get past it.
 */
final class SizeRefusal {

	private SizeRefusal() {
	}

	/** Whether the failure, or one of its causes, is Kafka's refusal of a record too large. */
	static boolean isTooLarge(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
				return true;
			}
		}
		return false;
	}

}
