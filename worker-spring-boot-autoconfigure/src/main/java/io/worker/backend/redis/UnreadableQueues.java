package io.worker.backend.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queues whose keys Redis cannot read as Worker wrote them (a key of the wrong type put there
 * by hand): the store passes them over so they hold back no other queue, and says so once when a
 * queue becomes unreadable and once when it can be read again, not at every fetch.
 */
final class UnreadableQueues {

	private static final Logger logger = LoggerFactory.getLogger(UnreadableQueues.class);

	private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

	void unreadable(String queue) {
		if (this.unreadable.add(queue)) {
			logger.error("Queue {} cannot be read and is passed over until it can: one of its keys holds a value "
					+ "of a type Worker does not write; delete or repair that key", queue);
		}
	}

	void readable(String queue) {
		if (!this.unreadable.isEmpty() && this.unreadable.remove(queue)) {
			logger.info("Queue {} can be read again", queue);
		}
	}

}
