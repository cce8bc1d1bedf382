package io.worker.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.worker.TaskDetail;
import io.worker.TaskInterceptor;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.TaskRecorder;
import io.worker.spi.Delivery;
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

	@Override
	public void close() {
		this.timeout.close();
	}

}
