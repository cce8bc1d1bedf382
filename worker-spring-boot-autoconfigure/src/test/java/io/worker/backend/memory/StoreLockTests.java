package io.worker.backend.memory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An action queued for the store's lock while another thread holds it: not lost, run before the
 * lock is released, and seen by the next thread to take it.
 */
class StoreLockTests {

	private final StoreLock lock = new StoreLock();

	private final AtomicInteger applied = new AtomicInteger();

	@Test
	void actionRunsAtOnceWhenTheLockIsFree() {
		this.lock.runUnderLock(this.applied::incrementAndGet);
		assertThat(this.applied).hasValue(1);
	}

	@Test
	void actionQueuedWhileTheLockIsHeldRunsBeforeTheHolderReleasesIt() throws Exception {
		this.lock.lock();
		CompletableFuture.runAsync(() -> this.lock.runUnderLock(this.applied::incrementAndGet))
			.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
		// the caller did not wait for the lock, and the action did not run without it
		assertThat(this.applied).hasValue(0);
		this.lock.unlock();
		assertThat(this.applied).hasValue(1);
	}

	@Test
	void nextThreadToTakeTheLockSeesAQueuedAction() throws Exception {
		this.lock.lock();
		CompletableFuture.runAsync(() -> this.lock.runUnderLock(this.applied::incrementAndGet)).join();
		CompletableFuture<Integer> seen = CompletableFuture.supplyAsync(() -> {
			this.lock.lock();
			try {
				return this.applied.get();
			}
			finally {
				this.lock.unlock();
			}
		});
		this.lock.unlock();
		assertThat(seen.join()).isEqualTo(1);
	}

	@Test
	void failingActionDoesNotFailTheThreadThatRunsIt() {
		this.lock.lock();
		CompletableFuture.runAsync(() -> this.lock.runUnderLock(() -> {
			throw new IllegalStateException("broken");
		})).join();
		this.lock.runUnderLock(this.applied::incrementAndGet);
		this.lock.unlock();
		assertThat(this.applied).hasValue(1);
	}

}
