package io.worker.runtime;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated task ids: 22 URL-safe characters of 128 random bits.
 */
class TaskIdsTests {

	@Test
	void anIdIs22UrlSafeCharacters() {
		for (int i = 0; i < 1000; i++) {
			assertThat(TaskIds.next()).hasSize(22).matches("[A-Za-z0-9_-]{22}");
		}
	}

	@Test
	void idsDoNotRepeat() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(TaskIds.next());
		}
		assertThat(ids).hasSize(100_000);
	}

}
