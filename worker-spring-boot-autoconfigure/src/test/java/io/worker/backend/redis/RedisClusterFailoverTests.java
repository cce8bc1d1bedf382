package io.worker.backend.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A master of the {@link RedisCluster} fails over to its replica ({@code CLUSTER FAILOVER}) while an
 * application on the auto-configuration runs {@value RedisFailoverRun#TASKS} tasks on queues of
 * every master: no acknowledged task is lost and the workers resume by themselves, Lettuce
 * following the new topology (Boot's {@code spring.data.redis.lettuce.cluster.refresh.*}).
 */
class RedisClusterFailoverTests {

	@Test
	void aMasterFailingOverLosesNoAcknowledgedTaskAndTheWorkersResumeByThemselves() {
		RedisCluster cluster = RedisCluster.shared();
		RedisKeys keys = new RedisKeys("any");
		// one queue per master, the first on the master that fails over
		List<String> queues = new ArrayList<>();
		List<Integer> masters = new ArrayList<>();
		IntStream.range(0, 30).mapToObj((i) -> "failover-" + i).forEach((queue) -> {
			int master = cluster.masterOf(keys.pending(queue));
			if (!masters.contains(master)) {
				masters.add(master);
				queues.add(queue);
			}
		});
		assertThat(masters).hasSize(3);
		RedisFailoverRun.Outcome outcome = new RedisFailoverRun(cluster.properties(), queues).run(() -> {
			int promoted = cluster.failover(masters.get(0));
			assertThat(cluster.masterOf(keys.pending(queues.get(0)))).isEqualTo(promoted);
		});
		// a manual failover lets the replica catch up before it takes over: nothing acknowledged is lost
		assertThat(outcome.lost()).isEmpty();
	}

}
