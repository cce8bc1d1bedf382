package io.worker.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.worker.ScheduleFire;
import io.worker.spi.ScheduleStore.StoredSchedule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LogScheduleStore}: several stores on one {@link InMemoryScheduleLog} stand for
 * several instances sharing a broker's log.
 */
class LogScheduleStoreTests {

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private static final Duration TTL = Duration.ofMinutes(1);

	private final InMemoryScheduleLog log = new InMemoryScheduleLog();

	@Test
	void concurrentClaimsFromSeveralStoresHaveExactlyOneWinnerPerTick() throws Exception {
		List<LogScheduleStore> stores = List.of(store(), store(), store(), store());
		stores.get(0).save("report", Map.of("cron", "x"));
		ExecutorService executor = Executors.newFixedThreadPool(stores.size());
		try {
			for (int tick = 1; tick <= 100; tick++) {
				Instant at = T0.plusSeconds(tick);
				CountDownLatch start = new CountDownLatch(1);
				List<Future<Boolean>> claims = new ArrayList<>();
				for (LogScheduleStore store : stores) {
					Callable<Boolean> claim = () -> {
						start.await();
						return store.claimTick("report", at, TTL);
					};
					claims.add(executor.submit(claim));
				}
				start.countDown();
				int winners = 0;
				for (Future<Boolean> claim : claims) {
					winners += claim.get() ? 1 : 0;
				}
				assertThat(winners).as("winners of tick %d", tick).isEqualTo(1);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aClaimNotAfterTheLastTickOrAWonClaimIsRefused() {
		LogScheduleStore a = store();
		LogScheduleStore b = store();
		a.save("report", Map.of());
		a.advance("report", T0.plusSeconds(10));
		assertThat(b.claimTick("report", T0.plusSeconds(10), TTL)).isFalse();
		assertThat(b.claimTick("report", T0.plusSeconds(5), TTL)).isFalse();
		assertThat(b.claimTick("report", T0.plusSeconds(20), TTL)).isTrue();
		assertThat(a.claimTick("report", T0.plusSeconds(20), TTL)).isFalse();
		a.recordFire("report", fire(30), false, 10);
		assertThat(b.claimTick("report", T0.plusSeconds(30), TTL)).isFalse();
		assertThat(b.claimTick("unknown", T0.plusSeconds(30), TTL)).isFalse();
		// a losing claim that reached the log (appended from a stale state) loses too
		this.log.append(ScheduleLogRecords.encode(new ScheduleLogRecords.Claim("report", T0.plusSeconds(30), "stale")));
		assertThat(a.claimTick("report", T0.plusSeconds(31), TTL)).isTrue();
	}

	@Test
	void saveRemoveAndEnableAreSeenByAnotherStore() {
		LogScheduleStore a = store();
		LogScheduleStore b = store();
		a.save("report", Map.of("enabled", "true", "cron", "0 * * * * *"));
		a.save("cleanup", Map.of("enabled", "true"));
		assertThat(b.list()).extracting(StoredSchedule::name).containsExactly("report", "cleanup");
		b.save("report", Map.of("enabled", "false", "cron", "0 * * * * *"));
		assertThat(a.get("report")).hasValueSatisfying(
				(schedule) -> assertThat(schedule.definition()).containsEntry("enabled", "false"));
		a.recordFire("report", fire(60), false, 10);
		b.save("report", Map.of("enabled", "true", "cron", "0 * * * * *"));
		assertThat(a.get("report")).hasValueSatisfying((schedule) -> {
			assertThat(schedule.definition()).containsEntry("enabled", "true");
			assertThat(schedule.lastTick()).as("a save keeps the last tick").isEqualTo(T0.plusSeconds(60));
			assertThat(schedule.history()).containsExactly(fire(60));
		});
		assertThat(b.remove("cleanup")).isTrue();
		assertThat(a.remove("cleanup")).isFalse();
		assertThat(a.list()).extracting(StoredSchedule::name).containsExactly("report");
	}

	@Test
	void historyIsBoundedAndManualFiresLeaveTheLastTick() {
		LogScheduleStore a = store();
		a.save("report", Map.of());
		for (int tick = 1; tick <= 5; tick++) {
			a.recordFire("report", fire(tick), false, 3);
		}
		a.recordFire("report", fire(100), true, 3);
		StoredSchedule schedule = store().get("report").orElseThrow();
		assertThat(schedule.lastTick()).isEqualTo(T0.plusSeconds(5));
		assertThat(schedule.history()).containsExactly(fire(100), fire(5), fire(4));
	}

	@Test
	void aStoreStartingOnATruncatedLogReplaysFromTheFirstRetainedSnapshot() {
		LogScheduleStore a = new LogScheduleStore(this.log, 10);
		a.save("report", Map.of("cron", "0 * * * * *"));
		a.save("gone", Map.of());
		a.remove("gone");
		for (int tick = 1; tick <= 25; tick++) {
			assertThat(a.claimTick("report", T0.plusSeconds(tick), TTL)).isTrue();
			a.recordFire("report", fire(tick), false, 5);
		}
		assertThat(a.claimTick("report", T0.plusSeconds(26), TTL)).isTrue(); // claimed, not yet fired
		assertThat(this.log.count("\"t\":\"snap\"")).isGreaterThanOrEqualTo(4);
		this.log.truncate(this.log.end() - 15);
		LogScheduleStore late = new LogScheduleStore(this.log, 10);
		assertThat(late.list()).isEqualTo(a.list());
		assertThat(late.claimTick("report", T0.plusSeconds(26), TTL)).as("claimed before").isFalse();
		assertThat(late.claimTick("report", T0.plusSeconds(27), TTL)).isTrue();
		// a store whose position was truncated away starts again from a snapshot too
		for (int tick = 28; tick <= 60; tick++) {
			late.advance("report", T0.plusSeconds(tick));
		}
		this.log.truncate(this.log.end() - 12);
		assertThat(a.list()).isEqualTo(late.list());
		assertThat(a.get("report").orElseThrow().lastTick()).isEqualTo(T0.plusSeconds(60));
	}

	@Test
	void fillersCountTowardsSnapshotsSoALogMostlyReadKeepsOne() {
		LogScheduleStore a = new LogScheduleStore(this.log, 10);
		a.save("report", Map.of("cron", "0 * * * * *"));
		for (int i = 0; i < 25; i++) {
			this.log.append(new byte[0]); // what a RabbitMQ stream's end markers come back as
		}
		assertThat(a.list()).hasSize(1);
		assertThat(this.log.count("\"t\":\"snap\"")).isEqualTo(1);
		this.log.truncate(this.log.end() - 1);
		assertThat(store().list()).isEqualTo(a.list());
	}

	@Test
	void anUnreadableRecordIsSkippedAndTheStoreKeepsWorking() {
		LogScheduleStore a = store();
		a.save("report", Map.of());
		this.log.append("garbage \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1));
		this.log.append("{\"t\":\"unknown\"}".getBytes(StandardCharsets.UTF_8));
		this.log.append("{\"t\":\"claim\",\"n\":\"report\"}".getBytes(StandardCharsets.UTF_8));
		LogScheduleStore b = store();
		assertThat(b.claimTick("report", T0.plusSeconds(1), TTL)).isTrue();
		assertThat(a.claimTick("report", T0.plusSeconds(1), TTL)).isFalse();
		assertThat(a.list()).extracting(StoredSchedule::name).containsExactly("report");
	}

	@Test
	void snapshotsNeedAPositiveInterval() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LogScheduleStore(this.log, 0))
			.withMessageContaining("snapshotEvery");
	}

	private LogScheduleStore store() {
		return new LogScheduleStore(this.log);
	}

	private static ScheduleFire fire(int tick) {
		return new ScheduleFire(T0.plusSeconds(tick), "report:" + tick, "default", T0.plusSeconds(tick).plusMillis(5));
	}

}
