package io.worker.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskContext;
import io.worker.TaskHandler;
import io.worker.autoconfigure.WorkerAutoConfiguration;
import io.worker.autoconfigure.WorkerMemoryBackendAutoConfiguration;
import io.worker.autoconfigure.WorkerServerAutoConfiguration;
import io.worker.autoconfigure.observation.WorkerObservationAutoConfiguration;
import io.worker.autoconfigure.redis.WorkerRedisBackendAutoConfiguration;
import io.worker.backend.memory.InMemoryTasks;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from the code that enqueues, through the task's headers, to the handler run by the
 * server on another thread.
 */
class WorkerTracingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
				WorkerServerAutoConfiguration.class, WorkerObservationAutoConfiguration.class))
		.withUserConfiguration(Tracing.class);

	@Test
	void handlerSpanContinuesTheTraceOfTheEnqueuingRequest() {
		this.runner.run(WorkerTracingTests::assertOneTraceFromRequestToHandler);
	}

	@Test
	void traceContextTravelsThroughRedisToo() {
		String namespace = "wtest-trace-" + UUID.randomUUID();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
					WorkerRedisBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkerServerAutoConfiguration.class, WorkerObservationAutoConfiguration.class))
			.withUserConfiguration(Tracing.class)
			.withPropertyValues(
					TestRedis.springProperties("worker.backend=redis", "worker.redis.namespace=" + namespace))
			.run((context) -> {
				try {
					assertOneTraceFromRequestToHandler(context);
				}
				finally {
					StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
					try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(namespace + "*").build())) {
						keys.forEachRemaining(redis::delete);
					}
				}
			});
	}

	private static void assertOneTraceFromRequestToHandler(ApplicationContext context) {
		SimpleTracer tracer = context.getBean(SimpleTracer.class);
		ObservationRegistry registry = context.getBean(ObservationRegistry.class);
		TaskClient client = context.getBean(TaskClient.class);
		Observation.createNotStarted("http.server.requests", registry)
			.observe(() -> client.enqueue(Task.of("greet", "ada")));
		Tracing handler = context.getBean(Tracing.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> span(tracer, "greet process") != null
				&& span(tracer, "greet process").getEndTimestamp().toEpochMilli() != 0);

		SimpleSpan request = span(tracer, "http.server.requests");
		SimpleSpan enqueue = span(tracer, "greet enqueue");
		SimpleSpan process = span(tracer, "greet process");
		assertThat(enqueue.getKind()).isEqualTo(Span.Kind.PRODUCER);
		assertThat(process.getKind()).isEqualTo(Span.Kind.CONSUMER);
		assertThat(enqueue.getTraceId()).isEqualTo(request.getTraceId());
		assertThat(process.getTraceId()).isEqualTo(request.getTraceId());
		assertThat(process.getParentId()).isEqualTo(enqueue.getSpanId());
		assertThat(handler.traceIds).containsExactly(request.getTraceId());
		assertThat(handler.headers.get(0)).containsEntry("traceparent",
				"00-" + enqueue.getTraceId() + "-" + enqueue.getSpanId() + "-01");
		assertThat(process.getTags()).containsEntry("task.type", "greet")
			.containsEntry("task.queue", "default")
			.containsEntry("outcome", "success");
	}

	@Test
	void withoutAnObservationRegistryTasksRunUntracedAndCarryNoTraceHeaders() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class,
					WorkerMemoryBackendAutoConfiguration.class, WorkerAutoConfiguration.class,
					WorkerObservationAutoConfiguration.class))
			.withPropertyValues("worker.server.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationTaskInterceptor.class);
				context.getBean(TaskClient.class).enqueue(Task.of("greet", "ada"));
				assertThat(context.getBean(InMemoryTasks.class).enqueued("greet").get(0).headers()).isEmpty();
			});
	}

	private static SimpleSpan span(SimpleTracer tracer, String name) {
		return tracer.getSpans().stream().filter((span) -> name.equals(span.getName())).findFirst().orElse(null);
	}

	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		final List<String> traceIds = new CopyOnWriteArrayList<>();

		final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();

		private final SimpleTracer tracer = new SimpleTracer();

		@Bean
		SimpleTracer tracer() {
			return this.tracer;
		}

		@Bean
		ObservationRegistry observationRegistry() {
			W3cTestPropagator propagator = new W3cTestPropagator(this.tracer);
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
						new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
						new DefaultTracingObservationHandler(this.tracer)));
			return registry;
		}

		@TaskHandler("greet")
		void greet(TaskContext context, String name) {
			this.traceIds.add(this.tracer.currentSpan().context().traceId());
			this.headers.add(context.headers());
		}

	}

}
