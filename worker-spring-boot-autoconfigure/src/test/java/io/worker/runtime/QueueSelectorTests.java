package io.worker.runtime;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QueueSelectorTests {

	private static final Map<String, Integer> WEIGHTS = weights();

	@Test
	void weightedOrderPutsEachQueueFirstInProportionToItsWeight() {
		QueueSelector selector = new QueueSelector(WEIGHTS, false, new Random(42));
		Map<String, Integer> first = new HashMap<>();
		int rounds = 30_000;
		for (int i = 0; i < rounds; i++) {
			first.merge(selector.order((queue) -> true).get(0), 1, Integer::sum);
		}
		assertThat(first.get("critical") / (double) rounds).isCloseTo(0.6, within(0.03));
		assertThat(first.get("default") / (double) rounds).isCloseTo(0.3, within(0.03));
		assertThat(first.get("low") / (double) rounds).isCloseTo(0.1, within(0.03));
	}

	@Test
	void weightedOrderHasEveryEligibleQueueOnce() {
		QueueSelector selector = new QueueSelector(WEIGHTS, false, new Random(1));
		assertThat(selector.order((queue) -> true)).containsExactlyInAnyOrder("critical", "default", "low");
		assertThat(selector.order((queue) -> !queue.equals("default"))).containsExactlyInAnyOrder("critical", "low");
	}

	@Test
	void strictOrderIsByWeight() {
		QueueSelector selector = new QueueSelector(WEIGHTS, true, new Random(1));
		assertThat(selector.order((queue) -> true)).containsExactly("critical", "default", "low");
		assertThat(selector.order((queue) -> !queue.equals("critical"))).containsExactly("default", "low");
	}

	@Test
	void noEligibleQueueGivesAnEmptyOrder() {
		assertThat(new QueueSelector(WEIGHTS, false, new Random(1)).order((queue) -> false)).isEqualTo(List.of());
	}

	private static Map<String, Integer> weights() {
		Map<String, Integer> weights = new LinkedHashMap<>();
		weights.put("low", 1);
		weights.put("critical", 6);
		weights.put("default", 3);
		return weights;
	}

}
