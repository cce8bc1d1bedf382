package io.worker.runtime;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generates the ids of tasks enqueued without one: 128 random bits as 22 characters of unpadded
 * base64url ({@code A-Z a-z 0-9 - _}), from the same kind of generator as a random UUID and as
 * unlikely to collide, but 14 characters shorter. Backends store the id with every queued task (the
 * Redis backend twice: in the task hash's key and in the pending list), so its length is memory
 * per task.
 */
final class TaskIds {

	private static final int RANDOM_BYTES = 16;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private TaskIds() {
	}

	/** A new id, URL-safe and opaque. */
	static String next() {
		byte[] bits = new byte[RANDOM_BYTES];
		RANDOM.nextBytes(bits);
		return ENCODER.encodeToString(bits);
	}

}
