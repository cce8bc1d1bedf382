package io.worker.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.worker.TaskState;
import io.worker.backend.redis.RedisTaskStore;
import io.worker.backend.redis.RedisTestSupport;
import io.worker.runtime.CapabilityCheckingTaskInspector;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue page over a real Redis holding 100,000 tasks in one state: it shows the count and one
 * page of rows, and the last page too, because paging is done by the backend and not in memory.
 */
class DashboardAtScaleTests {

	private static final int TASKS = 100_000;

	private final LettuceConnectionFactory redis = TestRedis.connect();

	private final String namespace = RedisTestSupport.namespace();

	private final RedisTaskStore store = new RedisTaskStore(this.redis, this.namespace, Clock.systemUTC(),
			Duration.ofSeconds(30), 2, Duration.ofDays(7));

	private final Dashboard dashboard = new Dashboard(CapabilityCheckingTaskInspector.of(this.store),
			this.store.capabilities(), null, "/worker", new PayloadRedactor(JsonMapper.builder().build(), Set.of()),
			new Throughput(Clock.systemUTC()), 1000, Dashboard.DEFAULT_PAGE_SIZE, Clock.systemUTC());

	@AfterEach
	void deleteKeys() {
		this.store.close();
		RedisTestSupport.deleteKeys(this.redis, this.namespace);
		this.redis.destroy();
	}

	@Test
	void queuePageOfAHundredThousandPendingTasksShowsTheCountAndOnePage() {
		for (int batch = 0; batch < TASKS / 1000; batch++) {
			List<EnqueueRequest> requests = new ArrayList<>(1000);
			for (int i = 0; i < 1000; i++) {
				requests.add(new EnqueueRequest(TaskMessage.builder("t-" + batch + "-" + i, "test", "big")
					.payload("{}".getBytes(StandardCharsets.UTF_8))
					.enqueuedAt(Clock.systemUTC().instant())
					.build(), null));
			}
			this.store.enqueue(requests);
		}
		String first = this.dashboard.queue("big", TaskState.PENDING, 0, Viewer.READ_ONLY, false);
		assertThat(first).contains("pending (<span data-test=\"tab-count\">" + TASKS + "</span>)")
			.contains("?state=PENDING&amp;page=1\">next</a>");
		assertThat(rows(first)).isEqualTo(Dashboard.DEFAULT_PAGE_SIZE);
		int lastPage = TASKS / Dashboard.DEFAULT_PAGE_SIZE - 1;
		String last = this.dashboard.queue("big", TaskState.PENDING, lastPage, Viewer.READ_ONLY, false);
		assertThat(rows(last)).isEqualTo(Dashboard.DEFAULT_PAGE_SIZE);
		assertThat(last).contains("t-99-999").doesNotContain("next</a>");
	}

	private static int rows(String html) {
		String body = html.substring(html.indexOf("<tbody>", html.indexOf("class=\"tasks\"")));
		return body.split("<tr data-test=\"task-row\"", -1).length - 1;
	}

}
