package io.worker.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.worker.TaskState;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.TaskRecorder;
import io.worker.runtime.CapabilityCheckingTaskInspector;
import io.worker.spi.EnqueueRequest;
import io.worker.spi.TaskMessage;
import io.worker.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The read-only pages over the memory backend: counts, paging, escaping of everything a task
 * carries, and masking of the configured payload fields.
 */
class DashboardTests {

	private final MutableClock clock = MutableClock.atEpochDay();

	private final InMemoryTaskStore store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 100,
			Duration.ofDays(1), new TaskRecorder(100));

	private final Dashboard dashboard = new Dashboard(CapabilityCheckingTaskInspector.of(this.store), "/worker",
			new PayloadRedactor(JsonMapper.builder().build(), Set.of("password")));

	@Test
	void overviewCountsEachStateAndWarnsOfPendingTasksWithoutWorker() {
		enqueue("a-1", "emails", "{}");
		enqueue("a-2", "emails", "{}");
		enqueue("a-3", "emails", "{}");
		this.store.inspector().archiveTask("emails", "a-3");
		String html = this.dashboard.overview();
		assertThat(html).contains("<a href=\"/worker/queues/emails\">emails</a>")
			.contains("pending tasks and no live worker")
			.contains("title=\"pending: 2\"")
			.contains("title=\"archived: 1\"")
			.doesNotContain("<script")
			.doesNotContain("style=");
	}

	@Test
	void pausedQueueIsFlagged() {
		enqueue("a-1", "emails", "{}");
		this.store.inspector().pauseQueue("emails");
		assertThat(this.dashboard.overview()).contains("<span class=\"badge paused\">paused</span>");
		assertThat(this.dashboard.queue("emails", TaskState.PENDING, 0)).contains("<p>Paused</p>");
	}

	@Test
	void queuePageShowsOnePageAndLinksTheNext() {
		for (int i = 0; i < QueuePage.PAGE_SIZE + 5; i++) {
			enqueue("t-" + i, "bulk", "{}");
		}
		String first = this.dashboard.queue("bulk", TaskState.PENDING, 0);
		assertThat(first).contains("pending (" + (QueuePage.PAGE_SIZE + 5) + ")")
			.contains("?state=PENDING&amp;page=1\">next</a>");
		assertThat(countRows(first)).isEqualTo(QueuePage.PAGE_SIZE);
		String second = this.dashboard.queue("bulk", TaskState.PENDING, 1);
		assertThat(countRows(second)).isEqualTo(5);
		assertThat(second).contains("previous").doesNotContain("next</a>");
		assertThatIllegalArgumentException().isThrownBy(() -> this.dashboard.queue("bulk", TaskState.PENDING, -1));
	}

	@Test
	void taskPageShowsScriptPayloadAndErrorAsText() {
		enqueue("x-1", "q", "\"<script>alert(1)</script>\"");
		this.store.enqueue(List.of(new EnqueueRequest(TaskMessage.builder("x-2", "<img src=x onerror=alert(2)>", "q")
			.enqueuedAt(this.clock.instant())
			.lastError("boom <b>bold</b>\n\tat Foo.bar(Foo.java:1)")
			.lastFailedAt(this.clock.instant())
			.build(), null)));
		assertThat(this.dashboard.task("q", "x-1")).get()
			.asString()
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.doesNotContain("<script>");
		assertThat(this.dashboard.task("q", "x-2")).get()
			.asString()
			.contains("&lt;img src=x onerror=alert(2)&gt;")
			.contains("boom &lt;b&gt;bold&lt;/b&gt;\n\tat Foo.bar(Foo.java:1)")
			.doesNotContain("<img")
			.doesNotContain("<b>");
		assertThat(this.dashboard.queue("q", TaskState.PENDING, 0)).doesNotContain("<img").doesNotContain("<b>");
	}

	@Test
	void maskedFieldsAreHiddenAtAnyDepthAndPayloadIsPrettyPrinted() {
		enqueue("p-1", "q", "{\"user\":\"ann\",\"password\":\"hunter2\",\"nested\":[{\"password\":\"x\"}]}");
		String html = this.dashboard.task("q", "p-1").orElseThrow();
		assertThat(html).doesNotContain("hunter2")
			.doesNotContain("\"x\"")
			.contains("&quot;password&quot; : &quot;******&quot;")
			.contains("\n  &quot;user&quot; : &quot;ann&quot;");
	}

	@Test
	void unknownTaskIsEmpty() {
		assertThat(this.dashboard.task("q", "missing")).isEmpty();
	}

	private void enqueue(String id, String queue, String payload) {
		this.store.enqueue(List.of(new EnqueueRequest(TaskMessage.builder(id, "test", queue)
			.payload(payload.getBytes(StandardCharsets.UTF_8))
			.enqueuedAt(this.clock.instant())
			.build(), null)));
	}

	private static int countRows(String html) {
		String body = html.substring(html.indexOf("<tbody>", html.indexOf("class=\"tasks\"")));
		return body.split("<tr>", -1).length - 1;
	}

}
