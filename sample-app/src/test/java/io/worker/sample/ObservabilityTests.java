package io.worker.sample;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator of the sample sees: Worker's meters in {@code /actuator/prometheus}, the
 * {@code worker} endpoint read-only by default, and Worker in the readiness group.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class ObservabilityTests {

	@Autowired
	private RestTestClient client;

	@Test
	void prometheusShowsTasksProcessedAfterASignup() {
		this.client.post()
			.uri("/users/signup")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("email", "metrics@example.com", "name", "Metrics"))
			.exchange()
			.expectStatus()
			.isCreated();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
			.contains("worker_tasks_processed_total{queue=\"default\",status=\"success\",task_type=\"user:welcome-email\"}"));
		assertThat(scrape()).contains("worker_tasks_enqueued_total{queue=\"default\",task_type=\"user:welcome-email\"}")
			.contains("worker_task_duration_seconds_bucket{queue=\"default\",task_type=\"user:welcome-email\"")
			.contains("worker_task_queue_wait_seconds_count{queue=\"default\",task_type=\"user:welcome-email\"}")
			.contains("worker_tasks_active{queue=\"default\"}")
			.contains("worker_queue_size{queue=\"default\",state=\"pending\"}");
	}

	@Test
	void workerEndpointReadsButDoesNotWriteByDefault() {
		this.client.get().uri("/actuator/worker").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.queues").isArray()
			.jsonPath("$.workers[0].concurrency").isNumber();
		this.client.get().uri("/actuator/worker/default?state=pending").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.queue.name").isEqualTo("default")
			.jsonPath("$.tasks").isArray();
		this.client.post()
			.uri("/actuator/worker/default")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("action", "pause"))
			.exchange()
			.expectStatus()
			.is4xxClientError();
	}

	@Test
	void workerIsInTheReadinessGroupAndNotInLiveness() {
		this.client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.components.worker.status").isEqualTo("UP");
		this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.components.worker").doesNotExist();
	}

	private String scrape() {
		return this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
	}

}
