package io.worker.backend.redis;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.worker.TaskHandler;
import io.worker.testsupport.ServiceAddress;
import io.worker.testsupport.TestRedis;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The worker JVM {@link RedisCrashTests} kills with SIGKILL: a {@link RedisWorker} whose handler
 * blocks every task it starts once it has completed {@code blockAfter}, so that the kill lands
 * mid-task. Arguments: host, port, namespace, queue, blockAfter, concurrency.
 */
public final class RedisCrashChild {

	static final String TYPE = "crash:record";

	private RedisCrashChild() {
	}

	public static void main(String[] args) {
		LettuceConnectionFactory factory = TestRedis.connect(new ServiceAddress(args[0], Integer.parseInt(args[1])));
		Handlers handlers = new Handlers(factory, args[2], Integer.parseInt(args[4]));
		// the server's worker threads are not daemons: they keep this JVM alive until it is killed
		new RedisWorker(factory, args[2], args[3], Integer.parseInt(args[5]), handlers).start();
	}

	/**
	 * Counts every start of a task in the hash {@code <ns>:test:runs} and records every completion
	 * in the set {@code <ns>:test:completed}; past {@code blockAfter} completions in this JVM it
	 * counts itself in {@code <ns>:test:blocked} and blocks until interrupted.
	 */
	static final class Handlers {

		private final RedisScripts redis;

		private final byte[] runs;

		private final byte[] completed;

		private final byte[] blocked;

		private final int blockAfter;

		private final AtomicInteger completedHere = new AtomicInteger();

		Handlers(RedisConnectionFactory factory, String namespace, int blockAfter) {
			this.redis = new RedisScripts(factory);
			this.runs = RedisTaskCodec.bytes(runsKey(namespace));
			this.completed = RedisTaskCodec.bytes(completedKey(namespace));
			this.blocked = RedisTaskCodec.bytes(blockedKey(namespace));
			this.blockAfter = blockAfter;
		}

		static String runsKey(String namespace) {
			return namespace + ":test:runs";
		}

		static String completedKey(String namespace) {
			return namespace + ":test:completed";
		}

		static String blockedKey(String namespace) {
			return namespace + ":test:blocked";
		}

		@TaskHandler(TYPE)
		void record(String id) throws InterruptedException {
			byte[] task = RedisTaskCodec.bytes(id);
			this.redis.execute((connection) -> connection.hashCommands().hIncrBy(this.runs, task, 1));
			if (this.completedHere.get() >= this.blockAfter) {
				this.redis.execute((connection) -> connection.stringCommands().incr(this.blocked));
				new CountDownLatch(1).await();
			}
			this.redis.execute((connection) -> connection.setCommands().sAdd(this.completed, task));
			this.completedHere.incrementAndGet();
		}

	}

}
