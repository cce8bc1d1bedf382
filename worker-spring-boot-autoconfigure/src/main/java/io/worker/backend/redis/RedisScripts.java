package io.worker.backend.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * Runs the store's Lua scripts (from {@code io/worker/backend/redis/*.lua}) and plain commands on
 * connections from the application's {@link RedisConnectionFactory}. Scripts run by their SHA-1
 * ({@code EVALSHA}); a server that does not know one (it restarted, or its script cache was
 * flushed) is sent the script once and asked again.
 */
final class RedisScripts {

	static final Script ENQUEUE = Script.load("enqueue");

	static final Script DEQUEUE = Script.load("take", "dequeue");

	static final Script EXTEND = Script.load("extend");

	static final Script PROGRESS = Script.load("progress");

	static final Script COMPLETE = Script.load("take", "complete");

	static final Script RETRY = Script.load("retry");

	static final Script ARCHIVE = Script.load("archive");

	static final Script REQUEUE = Script.load("requeue");

	static final Script FORWARD = Script.load("forward");

	static final Script RECOVER = Script.load("recover");

	static final Script RUN = Script.load("run");

	static final Script ARCHIVE_TASK = Script.load("archive_task");

	static final Script DELETE = Script.load("delete");

	static final Script JANITOR = Script.load("janitor");

	static final Script RATE = Script.load("rate");

	private final RedisConnectionFactory connectionFactory;

	RedisScripts(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/** Run commands on a connection that is closed afterwards. */
	<T> T execute(Function<RedisConnection, T> commands) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return commands.apply(connection);
		}
	}

	/** Run commands in one pipeline: one round trip. */
	List<Object> pipelined(Consumer<RedisConnection> commands) {
		return execute((connection) -> {
			connection.openPipeline();
			commands.accept(connection);
			return connection.closePipeline();
		});
	}

	/** Run one script whose reply is an integer. */
	long evalLong(Call call) {
		Long reply = eval(call, ReturnType.INTEGER);
		return (reply != null) ? reply : 0;
	}

	/** Run one script. */
	<T> @Nullable T eval(Call call, ReturnType returnType) {
		return execute((connection) -> eval(connection, call, returnType));
	}

	/**
	 * Run scripts in one pipeline: one round trip, each script still atomic on its own. The
	 * pipeline loads its scripts first, as a server that does not know a script fails the whole
	 * pipeline without telling which calls ran.
	 * @return one reply per call, in order
	 */
	List<Object> evalPipelined(List<Call> calls, ReturnType returnType) {
		if (calls.size() == 1) {
			return Collections.singletonList(eval(calls.get(0), returnType));
		}
		Set<Script> scripts = new LinkedHashSet<>();
		calls.forEach((call) -> scripts.add(call.script));
		List<Object> replies = pipelined((connection) -> {
			scripts.forEach((script) -> connection.scriptingCommands().scriptLoad(script.text));
			calls.forEach((call) -> evalSha(connection, call, returnType));
		});
		return replies.subList(scripts.size(), replies.size());
	}

	private static <T> @Nullable T eval(RedisConnection connection, Call call, ReturnType returnType) {
		try {
			return evalSha(connection, call, returnType);
		}
		catch (RuntimeException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			connection.scriptingCommands().scriptLoad(call.script.text);
			return evalSha(connection, call, returnType);
		}
	}

	private static <T> @Nullable T evalSha(RedisConnection connection, Call call, ReturnType returnType) {
		return connection.scriptingCommands().evalSha(call.script.sha, returnType, call.keyCount, call.keysAndArgs());
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
				return true;
			}
		}
		return false;
	}

	/** A script in the classpath, with its SHA-1. */
	static final class Script {

		private final byte[] text;

		private final String sha;

		private Script(byte[] text) {
			this.text = text;
			this.sha = sha1(text);
		}

		/** A script made of these files, in order: shared functions first, then the script's body. */
		static Script load(String... names) {
			ByteArrayOutputStream text = new ByteArrayOutputStream();
			for (String name : names) {
				String resource = name + ".lua";
				try (InputStream in = RedisScripts.class.getResourceAsStream(resource)) {
					if (in == null) {
						throw new IllegalStateException("Missing script " + resource);
					}
					text.writeBytes(in.readAllBytes());
					text.write('\n');
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			return new Script(text.toByteArray());
		}

		/** Start a call of this script with its keys. */
		Call keys(String... keys) {
			return new Call(this, keys);
		}

		private static String sha1(byte[] text) {
			try {
				return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/** One call of a script: its keys, then its arguments. */
	static final class Call {

		private final Script script;

		private final int keyCount;

		private final List<byte[]> keysAndArgs = new ArrayList<>();

		private Call(Script script, String[] keys) {
			this.script = script;
			this.keyCount = keys.length;
			for (String key : keys) {
				this.keysAndArgs.add(RedisTaskCodec.bytes(key));
			}
		}

		/** Add arguments: byte arrays as they are, anything else as its decimal or text form. */
		Call args(Object... args) {
			for (Object arg : args) {
				this.keysAndArgs.add((arg instanceof byte[] bytes) ? bytes : RedisTaskCodec.bytes(String.valueOf(arg)));
			}
			return this;
		}

		/** Add arguments already encoded. */
		Call args(List<byte[]> args) {
			this.keysAndArgs.addAll(args);
			return this;
		}

		private byte[][] keysAndArgs() {
			return this.keysAndArgs.toArray(new byte[0][]);
		}

	}

}
