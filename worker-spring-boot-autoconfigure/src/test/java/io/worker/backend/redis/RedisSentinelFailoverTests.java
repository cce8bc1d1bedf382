package io.worker.backend.redis;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The master watched by {@link RedisSentinels} fails over to its replica ({@code SENTINEL FAILOVER})
 * while an application on the auto-configuration runs {@value RedisFailoverRun#TASKS} tasks: every
 * task acknowledged before the failover or after it runs, and the workers resume by themselves,
 * Lettuce finding the new master through the sentinels once the old one drops its connections.
 * <p>
 * Tasks acknowledged during the failover can be lost: Sentinel promotes the replica without
 * pausing the old master, which goes on acknowledging writes until Sentinel turns it into a
 * replica of the new one, and then drops them (the README's "Failover" section). The run logs how
 * many.
 */
class RedisSentinelFailoverTests {

	@Test
	void theMasterFailingOverLosesNoTaskAcknowledgedBeforeOrAfterItAndTheWorkersResumeByThemselves() {
		RedisSentinels sentinels = RedisSentinels.shared();
		int before = sentinels.master();
		new RedisFailoverRun(sentinels.properties(), List.of("held", "flow-a", "flow-b"))
			.run(() -> assertThat(sentinels.failover()).isNotEqualTo(before));
	}

}
