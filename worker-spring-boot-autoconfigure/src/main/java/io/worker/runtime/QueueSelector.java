package io.worker.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Orders the queues for each fetch. With weights, a queue comes first with a probability
 * proportional to its weight, so a busy low-weight queue still gets its share; with strict
 * priority, the heaviest non-empty queue always wins.
 */
public final class QueueSelector {

	private final Map<String, Integer> weights;

	private final boolean strict;

	private final Random random;

	private final List<String> strictOrder;

	/**
	 * @param weights each queue's weight, at least 1
	 * @param strict whether to use strict priority
	 * @param random the source of randomness
	 */
	public QueueSelector(Map<String, Integer> weights, boolean strict, Random random) {
		weights.forEach((queue, weight) -> {
			if (weight < 1) {
				throw new IllegalArgumentException("Weight of queue '" + queue + "' must be at least 1, was " + weight);
			}
		});
		this.weights = Map.copyOf(weights);
		this.strict = strict;
		this.random = random;
		List<String> byWeight = new ArrayList<>(weights.keySet());
		byWeight.sort(Comparator.comparing((String queue) -> -weights.get(queue)).thenComparing(queue -> queue));
		this.strictOrder = List.copyOf(byWeight);
	}

	/**
	 * The queues to try, in order.
	 * @param eligible which queues may be fetched from now (not at their concurrency cap or rate limit)
	 * @return the eligible queues, ordered
	 */
	public List<String> order(Predicate<String> eligible) {
		if (this.strictOrder.size() == 1) {
			// nothing to order: no lists built per pick (a worker picks once per task)
			return eligible.test(this.strictOrder.get(0)) ? this.strictOrder : List.of();
		}
		if (this.strict) {
			return this.strictOrder.stream().filter(eligible).toList();
		}
		List<String> tickets = new ArrayList<>();
		this.weights.forEach((queue, weight) -> {
			if (eligible.test(queue)) {
				for (int i = 0; i < weight; i++) {
					tickets.add(queue);
				}
			}
		});
		Collections.shuffle(tickets, this.random);
		Set<String> order = new LinkedHashSet<>(tickets);
		return List.copyOf(order);
	}

	/** The queues and their weights. */
	public Map<String, Integer> weights() {
		return this.weights;
	}

	/** Whether strict priority is on. */
	public boolean isStrict() {
		return this.strict;
	}

}
