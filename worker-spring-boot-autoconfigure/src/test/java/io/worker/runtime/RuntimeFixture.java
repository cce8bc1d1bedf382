package io.worker.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.worker.TaskDetail;
import io.worker.TaskInterceptor;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.TaskRecorder;
import io.worker.spi.Delivery;
import io.worker.spi.RateLimit;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.MutableClock;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The runtime assembled by hand over an in-memory store and a clock the test moves.
 */
final class RuntimeFixture implements AutoCloseable {

	final MutableClock clock = MutableClock.atEpochDay();

	final TaskHandlerRegistry registry = new TaskHandlerRegistry();

	final InMemoryTaskStore store = new InMemoryTaskStore(this.clock, Duration.ofMinutes(5), 100, Duration.ofDays(1),
			new TaskRecorder(100));

	final PayloadCodec codec = new PayloadCodec(JsonMapper.builder().build());

	final ActiveTasks activeTasks = new ActiveTasks();

	final Map<String, TaskTypeOptions> options = new HashMap<>();

	final List<TaskInterceptor> extraInterceptors = new ArrayList<>();

	final TimeoutInterceptor timeout = new TimeoutInterceptor(this.clock);

	TaskDefaults defaults = new TaskDefaults("default", 3, Duration.ofSeconds(30),
			new Backoff(Backoff.Strategy.EXPONENTIAL, Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 0.0), List.of());

	RuntimeFixture() {
		this.store.onCancel(this.activeTasks::cancel);
	}

	/** Register every {@code @TaskHandler} method of the bean, as the application context does. */
	RuntimeFixture handlers(Object bean) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("registry", this.registry);
		new TaskHandlerAnnotationBeanPostProcessor(beanFactory.getBeanProvider(TaskHandlerRegistry.class))
			.postProcessAfterInitialization(bean, "handlers");
		return this;
	}

	TaskSettingsResolver settings() {
		return new TaskSettingsResolver(this.defaults, this.options, this.registry);
	}

	TaskExecutor executor() {
		List<TaskInterceptor> chain = new ArrayList<>(
				List.of(new RecoveryInterceptor(), new MdcLoggingInterceptor(), this.timeout));
		chain.addAll(this.extraInterceptors);
		return new TaskExecutor(this.registry, settings(), this.codec, chain, this.activeTasks,
				new TaskEventListener() {
				}, this.clock);
	}

	DefaultTaskClient client() {
		return client(this.store);
	}

	DefaultTaskClient client(TaskBackend backend) {
		return new DefaultTaskClient(backend, settings(), this.codec, new TaskEventListener() {
		}, 1024 * 1024, this.clock);
	}

	/** Take the next pending task of the queue and run it on this thread. */
	void runNext(String queue) throws InterruptedException {
		Delivery delivery = this.store.dequeue(List.of(queue), Duration.ZERO);
		if (delivery == null) {
			throw new AssertionError("No pending task in queue " + queue);
		}
		executor().execute(delivery);
	}

	/** Move the clock past a task's next due time and make it pending. */
	void forwardTo(TaskDetail task) {
		this.clock.set(task.nextProcessAt());
		this.store.forwardDue(this.clock.instant());
	}

	TaskDetail task(String queue, String id) {
		return this.store.inspector().task(queue, id).orElseThrow();
	}

	/**
	 * Server settings over the queues critical (6), default (3) and low (1), plus every rate-limited
	 * queue (1), with short maintenance intervals.
	 */
	static ServerSettings settings(int concurrency, boolean strict, Map<String, Integer> caps,
			Map<String, RateLimit> rateLimits) {
		Map<String, Integer> weights = new LinkedHashMap<>();
		weights.put("critical", 6);
		weights.put("default", 3);
		weights.put("low", 1);
		rateLimits.keySet().forEach((queue) -> weights.putIfAbsent(queue, 1));
		return new ServerSettings(concurrency, weights, strict, caps, rateLimits, Duration.ofSeconds(30),
				Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(50));
	}

	/** The share of the list taken by the queue. */
	static double share(List<String> queues, String queue) {
		return queues.stream().filter(queue::equals).count() / (double) queues.size();
	}

	@Override
	public void close() {
		this.timeout.close();
	}

}
