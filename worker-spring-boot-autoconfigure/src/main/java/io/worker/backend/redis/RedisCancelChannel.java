package io.worker.backend.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;

/**
 * Carries cancellations between every instance sharing the namespace: the id of a task to cancel
 * is published on the namespace's cancel channel and handed to each local listener.
 */
final class RedisCancelChannel implements MessageListener {

	private static final Logger logger = LoggerFactory.getLogger(RedisCancelChannel.class);

	private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

	private final RedisScripts redis;

	private final byte[] channel;

	RedisCancelChannel(RedisScripts redis, String channel) {
		this.redis = redis;
		this.channel = RedisTaskCodec.bytes(channel);
	}

	void addListener(Consumer<String> listener) {
		this.listeners.add(listener);
	}

	void publish(String taskId) {
		this.redis.execute((connection) -> connection.publish(this.channel, RedisTaskCodec.bytes(taskId)));
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		String taskId = RedisTaskCodec.text(message.getBody());
		for (Consumer<String> listener : this.listeners) {
			try {
				listener.accept(taskId);
			}
			catch (RuntimeException ex) {
				logger.warn("Cancel listener failed for task '{}'", taskId, ex);
			}
		}
	}

}
