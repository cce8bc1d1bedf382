package io.worker.sample.dashboard;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.worker.SkipRetryException;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskHandler;
import io.worker.TaskInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample's dashboard in a real headless Chromium: what an operator sees and what the buttons do.
 * One browser and one application context for the class; each test works on its own queue.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "worker.queues.e2e-counts.weight=1", "worker.queues.e2e-xss.weight=1",
				"worker.queues.e2e-retry.weight=1", "worker.queues.e2e-search.weight=1",
				"worker.queues.e2e-pause.weight=1", "worker.queues.e2e-running.weight=1", "worker.queues.e2e-bulk.weight=1",
				"worker.queues.e2e-csrf.weight=1", "worker.queues.e2e-phone.weight=1" })
class DashboardE2eTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	// target/ by default so a test run leaves the work tree clean; the README's images are refreshed with
	// -Dworker.screenshots=../docs/images (the path is relative to the module directory Maven runs in)
	private static final Path IMAGES = Path.of(System.getProperty("worker.screenshots", "target/screenshots"));

	private static WebDriver browser;

	@LocalServerPort
	private int port;

	@Autowired
	private TaskClient taskClient;

	@BeforeAll
	static void startBrowser() {
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File("/usr/bin/chromedriver"))
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
			.addArguments("--headless=new", "--no-sandbox", "--window-size=1280,900");
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void overviewShowsTheCountsAfterARun() throws IOException {
		for (int i = 0; i < 5; i++) {
			enqueue("e2e-counts", "ok-" + i, false);
		}
		for (int i = 0; i < 3; i++) {
			enqueue("e2e-counts", "bad-" + i, true);
		}
		open("/worker/");
		await().atMost(WAIT).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(count("e2e-counts", "completed")).isEqualTo("5");
			assertThat(count("e2e-counts", "archived")).isEqualTo("3");
		});
		assertThat(count("e2e-counts", "pending")).isEqualTo("0");
		assertThat(browser.findElements(By.cssSelector("tr[data-test=queue-row][data-queue=e2e-counts]"))).hasSize(1);
		screenshot("dashboard-overview");
		open("/worker/workers");
		assertThat(browser.findElements(By.cssSelector("tr[data-test=worker-row]"))).isNotEmpty();
		screenshot("dashboard-workers");
	}

	@Test
	void theSchedulesPageShowsTheRecurringReportAndOperatesIt() throws IOException {
		By report = By.cssSelector("#schedules tr[data-test=schedule-row][data-name=user-activity-report]");
		open("/worker/schedules");
		assertThat(browser.findElement(report).getText()).contains("0 0 6 * * MON")
			.contains("Europe/Berlin")
			.contains("user:activity-report");
		assertThat(browser.findElement(report).findElement(By.cssSelector("td[data-test=next-fire]")).getText()).isNotBlank();
		submit(By.cssSelector("#schedules tr[data-name=user-activity-report] button[data-test=trigger]"));
		await().atMost(WAIT).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(browser.findElement(report).findElement(By.cssSelector("td[data-test=last-fire]")).getText()).isNotBlank();
			assertThat(browser.findElement(report).findElements(By.cssSelector("ul.fires li")))
				.anySatisfy((fire) -> assertThat(fire.getText()).contains("user-activity-report:manual:"));
		});
		screenshot("dashboard-schedules");
		submit(By.cssSelector("#schedules tr[data-name=user-activity-report] button[data-test=disable]"));
		assertThat(browser.findElement(report).findElements(By.cssSelector("[data-test=disabled]"))).hasSize(1);
		assertThat(browser.findElement(report).findElements(By.cssSelector("td[data-test=next-fire]")))
			.allSatisfy((next) -> assertThat(next.getText()).isBlank());
		submit(By.cssSelector("#schedules tr[data-name=user-activity-report] button[data-test=enable]"));
		assertThat(browser.findElement(report).findElements(By.cssSelector("[data-test=disabled]"))).isEmpty();
		assertThat(browser.findElement(report).findElement(By.cssSelector("td[data-test=next-fire]")).getText()).isNotBlank();
	}

	@Test
	void theOverviewFitsAPhoneAndFollowsTheDarkScheme() throws IOException {
		enqueue("e2e-phone", "small-screen", false);
		try {
			browser.manage().window().setSize(new Dimension(390, 844));
			open("/worker/");
			JavascriptExecutor js = (JavascriptExecutor) browser;
			assertThat(((Number) js.executeScript("return window.innerWidth;")).longValue()).isLessThanOrEqualTo(420);
			assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth;")).longValue())
				.isLessThanOrEqualTo(((Number) js.executeScript("return window.innerWidth;")).longValue());
			screenshot("dashboard-phone");
			((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia",
					Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
			open("/worker/");
			assertThat(js.executeScript("return getComputedStyle(document.body).backgroundColor;"))
				.isEqualTo("rgb(13, 17, 23)");
			screenshot("dashboard-phone-dark");
		}
		finally {
			((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
			browser.manage().window().setSize(new Dimension(1280, 900));
		}
	}

	@Test
	void aScriptPayloadIsShownAsText() throws IOException {
		TaskInfo task = enqueue("e2e-xss", "<script>alert(1)</script>", true);
		awaitState("e2e-xss", task.id(), "archived");
		assertThat(browser.findElement(By.cssSelector("[data-test=payload]")).getText())
			.contains("<script>alert(1)</script>");
		assertThatExceptionOfType(NoAlertPresentException.class).isThrownBy(() -> browser.switchTo().alert());
		screenshot("dashboard-task");
	}

	@Test
	void retryingAnArchivedTaskFromTheUiRunsIt() throws IOException {
		TaskInfo task = enqueue("e2e-retry", "heal-me", true);
		awaitState("e2e-retry", task.id(), "archived");
		E2eHandlers.healed.add("heal-me");
		open("/worker/queues/e2e-retry?state=archived");
		screenshot("dashboard-queue");
		submit(By.cssSelector("#tasks tr[data-test=task-row][data-id='" + task.id() + "'] button[data-test=run]"));
		awaitState("e2e-retry", task.id(), "completed");
		assertThat(E2eHandlers.succeeded).contains("heal-me");
	}

	@Test
	void searchFindsATaskByAPayloadSubstring() throws IOException {
		TaskInfo wanted = enqueue("e2e-search", "needle-4711-in-a-haystack", false);
		enqueue("e2e-search", "just-hay", false);
		awaitState("e2e-search", wanted.id(), "completed");
		open("/worker/search");
		browser.findElement(By.cssSelector("[data-test=search-query]")).sendKeys("4711-in-a");
		browser.findElement(By.cssSelector("[data-test=search-submit]")).click();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(browser.findElements(By.cssSelector("#results tr[data-test=result-row]")))
				.extracting((row) -> row.getAttribute("data-id"))
				.containsExactly(wanted.id()));
		screenshot("dashboard-search");
	}

	@Test
	void pauseStopsAQueueAndResumeRunsWhatWaited() {
		open("/worker/queues/e2e-pause");
		submit(By.cssSelector("button[data-test=pause]"));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(browser.findElement(By.cssSelector("[data-test=queue-state]")).getText())
				.containsIgnoringCase("paused"));
		TaskInfo waiting = enqueue("e2e-pause", "waits-for-resume", false);
		// a task enqueued after it on a running queue has run: the worker did fetch meanwhile
		TaskInfo later = enqueue("e2e-running", "runs-while-e2e-pause-is-paused", false);
		awaitState("e2e-running", later.id(), "completed");
		open("/worker/queues/e2e-pause/tasks/" + waiting.id());
		assertThat(browser.findElement(By.cssSelector("[data-test=task-state]")).getText()).containsIgnoringCase("pending");
		open("/worker/queues/e2e-pause");
		submit(By.cssSelector("button[data-test=resume]"));
		awaitState("e2e-pause", waiting.id(), "completed");
		assertThat(E2eHandlers.succeeded).contains("waits-for-resume");
	}

	@Test
	void aBulkRetryOfAThousandArchivedTasksCompletesWithProgress() throws IOException {
		for (int i = 0; i < 1000; i++) {
			enqueue("e2e-bulk", "bulk-" + i, true);
		}
		open("/worker/");
		await().atMost(WAIT).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(count("e2e-bulk", "archived")).isEqualTo("1000");
		});
		for (int i = 0; i < 1000; i++) {
			E2eHandlers.healed.add("bulk-" + i);
		}
		open("/worker/queues/e2e-bulk?state=archived");
		browser.findElement(By.cssSelector("button[data-test=bulk-run]")).click();
		browser.switchTo().alert().accept();
		await().atMost(WAIT).untilAsserted(() -> assertThat(browser.getCurrentUrl()).contains("/worker/jobs/"));
		await().atMost(WAIT).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(browser.findElement(By.cssSelector("[data-test=bulk-done]")).getText()).isEqualTo("1000");
			assertThat(browser.findElement(By.cssSelector("[data-test=bulk-status]")).getText()).isEqualTo("finished");
		});
		assertThat(browser.findElement(By.cssSelector("[data-test=bulk-total]")).getText()).isEqualTo("1000");
		assertThat(browser.findElement(By.cssSelector("[data-test=bulk-failed]")).getText()).isEqualTo("0");
		assertThat(browser.findElements(By.cssSelector("#bulk-progress"))).hasSize(1);
		screenshot("dashboard-bulk-progress");
		open("/worker/");
		await().atMost(WAIT).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(count("e2e-bulk", "completed")).isEqualTo("1000");
		});
	}

	@Test
	void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/worker/queues/e2e-csrf/pause"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).contains("CSRF");
		open("/worker/queues/e2e-csrf");
		assertThat(browser.findElement(By.cssSelector("[data-test=queue-state]")).getText()).containsIgnoringCase("running");
	}

	private TaskInfo enqueue(String queue, String text, boolean fail) {
		return this.taskClient.enqueue(Task.of(E2eHandlers.TYPE, new E2ePayload(text, fail)).queue(queue)
			// kept once completed, so that the dashboard can show completed tasks
			.retention(Duration.ofHours(1)));
	}

	/**
	 * Click a form's submit button and wait for the action's answer to replace the page. A click only
	 * queues the form's submission: a page opened at once is replaced by the action's redirect (the
	 * queue page) when the submission lands, and reads as a task page without the task on it.
	 */
	private void submit(By button) {
		WebElement clicked = browser.findElement(button);
		clicked.click();
		new WebDriverWait(browser, WAIT).until(ExpectedConditions.stalenessOf(clicked));
	}

	private void awaitState(String queue, String id, String state) {
		open("/worker/queues/" + queue + "/tasks/" + id);
		// the live refresh may replace the part between finding the state and reading it: read it again
		await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).untilAsserted(() -> {
			browser.navigate().refresh();
			assertThat(browser.findElement(By.cssSelector("[data-test=task-state]")).getText()).containsIgnoringCase(state);
		});
	}

	private String count(String queue, String state) {
		return browser
			.findElement(By.cssSelector("td[data-test=count][data-queue=" + queue + "][data-state=" + state + "]"))
			.getText()
			.trim();
	}

	private void open(String path) {
		browser.get("http://127.0.0.1:" + this.port + path);
	}

	private static void screenshot(String name) throws IOException {
		Files.createDirectories(IMAGES);
		File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Files.copy(png.toPath(), IMAGES.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
	}

	record E2ePayload(String text, boolean fail) {
	}

	@TestConfiguration
	static class E2eHandlers {

		static final String TYPE = "e2e:job";

		// texts whose task succeeds from now on even if it was enqueued to fail
		static final Set<String> healed = ConcurrentHashMap.newKeySet();

		// texts whose task ran to success
		static final Set<String> succeeded = ConcurrentHashMap.newKeySet();

		@TaskHandler(TYPE)
		public void run(E2ePayload payload) {
			if (payload.fail() && !healed.contains(payload.text())) {
				throw new SkipRetryException("failing on purpose: " + payload.text());
			}
			succeeded.add(payload.text());
		}

	}

}
