package io.worker.backend.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.worker.runtime.ActiveTasks;
import io.worker.runtime.Backoff;
import io.worker.runtime.DefaultTaskClient;
import io.worker.runtime.MdcLoggingInterceptor;
import io.worker.runtime.PayloadCodec;
import io.worker.runtime.RecoveryInterceptor;
import io.worker.runtime.ServerSettings;
import io.worker.runtime.TaskDefaults;
import io.worker.runtime.TaskEventListener;
import io.worker.runtime.TaskExecutor;
import io.worker.runtime.TaskHandlerAnnotationBeanPostProcessor;
import io.worker.runtime.TaskHandlerRegistry;
import io.worker.runtime.TaskSettingsResolver;
import io.worker.runtime.TimeoutInterceptor;
import io.worker.runtime.WorkerServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A {@link WorkerServer} and a {@link DefaultTaskClient} over a {@link RedisTaskStore} on the
 * system clock, assembled by hand as the auto-configuration does, with a short lease and short
 * maintenance intervals so that a dead worker's tasks come back within seconds.
 */
final class RedisWorker implements AutoCloseable {

	static final Duration LEASE = Duration.ofSeconds(2);

	final RedisTaskStore store;

	final DefaultTaskClient client;

	final WorkerServer server;

	private final TimeoutInterceptor timeout = new TimeoutInterceptor(Clock.systemUTC());

	/**
	 * @param queue the queue tasks go to and the server serves
	 * @param handlers a bean whose {@code @TaskHandler} methods handle the tasks
	 */
	RedisWorker(RedisConnectionFactory factory, String namespace, String queue, int concurrency, Object handlers) {
		Clock clock = Clock.systemUTC();
		this.store = new RedisTaskStore(factory, namespace, clock, LEASE, 100, Duration.ofDays(1));
		TaskHandlerRegistry registry = new TaskHandlerRegistry();
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("registry", registry);
		new TaskHandlerAnnotationBeanPostProcessor(beanFactory.getBeanProvider(TaskHandlerRegistry.class))
			.postProcessAfterInitialization(handlers, "handlers");
		TaskDefaults defaults = new TaskDefaults(queue, 3, Duration.ofMinutes(5),
				new Backoff(Backoff.Strategy.FIXED, Duration.ofMillis(100), 1.0, Duration.ofSeconds(1), 0.0),
				List.of());
		TaskSettingsResolver settings = new TaskSettingsResolver(defaults, Map.of(), registry);
		PayloadCodec codec = new PayloadCodec(JsonMapper.builder().build());
		TaskEventListener listener = new TaskEventListener() {
		};
		ActiveTasks activeTasks = new ActiveTasks();
		TaskExecutor executor = new TaskExecutor(registry, settings, codec,
				List.of(new RecoveryInterceptor(), new MdcLoggingInterceptor(), this.timeout), activeTasks, listener,
				clock);
		this.client = new DefaultTaskClient(this.store, settings, codec, listener, 1024 * 1024, clock);
		this.server = new WorkerServer(this.store, executor, activeTasks, settings, registry,
				new ServerSettings(concurrency, Map.of(queue, 1), false, Map.of(), Map.of(), Duration.ofSeconds(5),
						Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), LEASE.dividedBy(4)),
				listener, clock);
	}

	RedisWorker start() {
		this.server.start();
		return this;
	}

	@Override
	public void close() {
		this.server.stop();
		this.timeout.close();
		this.store.close();
	}

}
