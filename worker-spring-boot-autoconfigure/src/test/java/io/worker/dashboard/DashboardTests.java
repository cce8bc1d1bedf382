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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
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

	private final Dashboard dashboard = new Dashboard(CapabilityCheckingTaskInspector.of(this.store),
			this.store.capabilities(), null, "/worker", new PayloadRedactor(JsonMapper.builder().build(), Set.of("password")),
			new Throughput(this.clock), 1000, Dashboard.DEFAULT_PAGE_SIZE, this.clock);

	private final Viewer operator = new Viewer(true, "_csrf", "tok\"en");

	@AfterEach
	void closeDashboard() {
		this.dashboard.close();
	}

	@Test
	void overviewCountsEachStateAndWarnsOfPendingTasksWithoutWorker() {
		enqueue("a-1", "emails", "{}");
		enqueue("a-2", "emails", "{}");
		enqueue("a-3", "emails", "{}");
		this.store.inspector().archiveTask("emails", "a-3");
		String html = this.dashboard.overview(false);
		assertThat(html).contains("<a href=\"/worker/queues/emails\">emails</a>")
			.contains("data-queue=\"emails\" data-state=\"pending\">2</td>")
			.contains("pending tasks and no live worker")
			.contains("<title>pending: 2</title>")
			.contains("<title>archived: 1</title>")
			.doesNotContainPattern("<script(?! defer src=)")
			.doesNotContain("style=");
	}

	@Test
	void pausedQueueIsFlagged() {
		enqueue("a-1", "emails", "{}");
		this.store.inspector().pauseQueue("emails");
		assertThat(this.dashboard.overview(false)).contains("data-test=\"paused\">paused</span>");
		assertThat(this.dashboard.queue("emails", TaskState.PENDING, 0, Viewer.READ_ONLY, false)).contains(">Paused</p>");
	}

	@Test
	void queuePageShowsOnePageAndLinksTheNext() {
		for (int i = 0; i < Dashboard.DEFAULT_PAGE_SIZE + 5; i++) {
			enqueue("t-" + i, "bulk", "{}");
		}
		String first = this.dashboard.queue("bulk", TaskState.PENDING, 0, Viewer.READ_ONLY, false);
		assertThat(first).contains("pending (<span data-test=\"tab-count\">" + (Dashboard.DEFAULT_PAGE_SIZE + 5) + "</span>)")
			.contains("?state=PENDING&amp;page=1\">next</a>");
		assertThat(countRows(first)).isEqualTo(Dashboard.DEFAULT_PAGE_SIZE);
		String second = this.dashboard.queue("bulk", TaskState.PENDING, 1, Viewer.READ_ONLY, false);
		assertThat(countRows(second)).isEqualTo(5);
		assertThat(second).contains("previous").doesNotContain("next</a>");
		assertThatIllegalArgumentException().isThrownBy(() -> this.dashboard.queue("bulk", TaskState.PENDING, -1, Viewer.READ_ONLY, false));
	}

	@Test
	void taskPageShowsScriptPayloadAndErrorAsText() {
		enqueue("x-1", "q", "\"<script>alert(1)</script>\"");
		this.store.enqueue(List.of(new EnqueueRequest(TaskMessage.builder("x-2", "<img src=x onerror=alert(2)>", "q")
			.enqueuedAt(this.clock.instant())
			.lastError("boom <b>bold</b>\n\tat Foo.bar(Foo.java:1)")
			.lastFailedAt(this.clock.instant())
			.build(), null)));
		assertThat(this.dashboard.task("q", "x-1", Viewer.READ_ONLY, false)).get()
			.asString()
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.doesNotContain("<script>");
		assertThat(this.dashboard.task("q", "x-2", Viewer.READ_ONLY, false)).get()
			.asString()
			.contains("&lt;img src=x onerror=alert(2)&gt;")
			.contains("boom &lt;b&gt;bold&lt;/b&gt;\n\tat Foo.bar(Foo.java:1)")
			.doesNotContain("<img")
			.doesNotContain("<b>");
		assertThat(this.dashboard.queue("q", TaskState.PENDING, 0, Viewer.READ_ONLY, false)).doesNotContain("<img").doesNotContain("<b>");
	}

	@Test
	void maskedFieldsAreHiddenAtAnyDepthAndPayloadIsPrettyPrinted() {
		enqueue("p-1", "q", "{\"user\":\"ann\",\"password\":\"hunter2\",\"nested\":[{\"password\":\"x\"}]}");
		String html = this.dashboard.task("q", "p-1", Viewer.READ_ONLY, false).orElseThrow();
		assertThat(html).doesNotContain("hunter2")
			.doesNotContain("\"x\"")
			.contains("&quot;password&quot; : &quot;******&quot;")
			.contains("\n  &quot;user&quot; : &quot;ann&quot;");
	}

	@Test
	void readOnlyViewerGetsNoActionsAndOperatorGetsThoseTheBackendAllows() {
		enqueue("r-1", "q", "{}");
		this.store.inspector().archiveTask("q", "r-1");
		assertThat(this.dashboard.queue("q", TaskState.ARCHIVED, 0, Viewer.READ_ONLY, false)).doesNotContain("<form class=\"action\"")
			.doesNotContain("data-test=\"pause\"");
		String html = this.dashboard.queue("q", TaskState.ARCHIVED, 0, this.operator, false);
		assertThat(html).contains("action=\"/worker/queues/q/tasks/r-1/run\"")
			.contains("action=\"/worker/queues/q/tasks/r-1/delete\"")
			.doesNotContain("tasks/r-1/archive")
			.contains("data-test=\"bulk-run\"")
			.contains("data-confirm=\"Run now all 1 archived tasks of q?\"")
			.contains("data-test=\"pause\"")
			.contains("<input type=\"hidden\" name=\"_csrf\" value=\"tok&quot;en\">");
	}

	@Test
	void actionsChangeTheTaskAndBulkRetriesEveryArchivedTaskInTheBackground() {
		for (int i = 0; i < 250; i++) {
			enqueue("b-" + i, "q", "{}");
			this.store.inspector().archiveTask("q", "b-" + i);
		}
		this.dashboard.act("ann", "delete", "q", "b-0");
		assertThat(this.store.inspector().task("q", "b-0")).isEmpty();
		assertThat(this.dashboard.actOnSelection("ann", "run", "q", List.of("b-1", "b-2", "missing"))).isEqualTo(1);
		assertThat(this.store.inspector().queue("q").size(TaskState.PENDING)).isEqualTo(2);
		String job = this.dashboard.startBulk("ann", "run", "q", TaskState.ARCHIVED);
		Awaitility.await()
			.untilAsserted(() -> assertThat(this.dashboard.bulkProgress(job, true)).get()
				.asString()
				.contains("data-test=\"bulk-status\">finished"));
		assertThat(this.dashboard.bulkProgress(job, true)).get().asString().contains("data-test=\"bulk-done\">247<");
		assertThat(this.store.inspector().queue("q").size(TaskState.PENDING)).isEqualTo(249);
		assertThat(this.store.inspector().queue("q").size(TaskState.ARCHIVED)).isZero();
		this.dashboard.pause("ann", "q", true);
		assertThat(this.store.inspector().queue("q").paused()).isTrue();
	}

	@Test
	void searchFindsByPayloadSubstringTypeAndErrorButNotByMaskedValue() {
		enqueue("s-1", "q", "{\"user\":\"zelda\",\"password\":\"hunter2\"}");
		enqueue("s-2", "q", "{\"user\":\"link\"}");
		String html = this.dashboard.search("\"user\":\"zelda\"");
		assertThat(html).contains("data-id=\"s-1\"").doesNotContain("data-id=\"s-2\"")
			.contains("data-test=\"scanned\">2<");
		assertThat(this.dashboard.search("hunter2")).contains("data-test=\"found\">0<");
		assertThat(this.dashboard.search("<script>")).contains("value=\"&lt;script&gt;\"").doesNotContain("<script>");
	}

	@Test
	void unknownTaskIsEmpty() {
		assertThat(this.dashboard.task("q", "missing", Viewer.READ_ONLY, false)).isEmpty();
	}

	private void enqueue(String id, String queue, String payload) {
		this.store.enqueue(List.of(new EnqueueRequest(TaskMessage.builder(id, "test", queue)
			.payload(payload.getBytes(StandardCharsets.UTF_8))
			.enqueuedAt(this.clock.instant())
			.build(), null)));
	}

	private static int countRows(String html) {
		String body = html.substring(html.indexOf("<tbody>", html.indexOf("class=\"tasks\"")));
		return body.split("<tr data-test=\"task-row\"", -1).length - 1;
	}

}
