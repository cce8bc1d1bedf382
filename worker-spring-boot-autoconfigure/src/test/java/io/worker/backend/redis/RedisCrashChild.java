package io.worker.backend.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.spi.Delivery;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The worker process {@link RedisCrashTests} kills with SIGKILL: its threads complete tasks until
 * {@code completeFirst} are done, then each takes one more and holds it, as if mid-task.
 * Arguments: host, port, namespace, queue, completeFirst, threads.
 */
public final class RedisCrashChild {

	private RedisCrashChild() {
	}

	public static void main(String[] args) throws Exception {
		LettuceConnectionFactory factory = RedisTestSupport.connect(args[0], Integer.parseInt(args[1]));
		RedisTaskStore store = new RedisTaskStore(factory, args[2], Clock.systemUTC(), Duration.ofSeconds(30), 100,
				Duration.ofDays(1));
		List<String> queues = List.of(args[3]);
		AtomicInteger completed = new AtomicInteger();
		int completeFirst = Integer.parseInt(args[4]);
		int threads = Integer.parseInt(args[5]);
		CountDownLatch never = new CountDownLatch(1);
		for (int i = 0; i < threads; i++) {
			new Thread(() -> {
				try {
					while (completed.get() < completeFirst) {
						Delivery delivery = store.dequeue(queues, Duration.ofSeconds(1));
						if (delivery != null) {
							delivery.complete(null);
							completed.incrementAndGet();
						}
					}
					store.dequeue(queues, Duration.ofSeconds(1));
					never.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}).start();
		}
		never.await();
	}

}
