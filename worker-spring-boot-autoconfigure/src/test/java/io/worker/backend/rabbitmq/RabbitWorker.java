package io.worker.backend.rabbitmq;

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

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * A {@link WorkerServer} and a {@link DefaultTaskClient} over a {@link RabbitTaskBroker}, assembled
 * by hand as the auto-configuration does: retries after a fixed second (the delay levels' resolution),
 * and a short heartbeat so that a lost channel interrupts its handler at once.
 */
final class RabbitWorker implements AutoCloseable {

	final RabbitTaskBroker broker;

	final DefaultTaskClient client;

	final WorkerServer server;

	private final TimeoutInterceptor timeout = new TimeoutInterceptor(Clock.systemUTC());

	/**
	 * @param queue the queue tasks go to and the server serves
	 * @param maxRetries the retries of every task
	 * @param handlers a bean whose {@code @TaskHandler} methods handle the tasks
	 */
	RabbitWorker(ConnectionFactory factory, RabbitSettings settings, String queue, int maxRetries, Object handlers) {
		this(factory, settings, queue, maxRetries, handlers, Duration.ofSeconds(5));
	}

	/**
	 * @param shutdownTimeout how long running tasks may finish when the server stops
	 */
	RabbitWorker(ConnectionFactory factory, RabbitSettings settings, String queue, int maxRetries, Object handlers,
			Duration shutdownTimeout) {
		this(factory, settings, queue, maxRetries, handlers, shutdownTimeout, new TaskEventListener() {
		});
	}

	/**
	 * @param listener told of every attempt, as the metrics are
	 */
	RabbitWorker(ConnectionFactory factory, RabbitSettings settings, String queue, int maxRetries, Object handlers,
			Duration shutdownTimeout, TaskEventListener listener) {
		Clock clock = Clock.systemUTC();
		this.broker = new RabbitTaskBroker(factory, settings, List.of(queue), clock);
		this.broker.afterPropertiesSet();
		TaskHandlerRegistry registry = new TaskHandlerRegistry();
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("registry", registry);
		new TaskHandlerAnnotationBeanPostProcessor(beanFactory.getBeanProvider(TaskHandlerRegistry.class))
			.postProcessAfterInitialization(handlers, "handlers");
		TaskDefaults defaults = new TaskDefaults(queue, maxRetries, Duration.ofMinutes(5),
				new Backoff(Backoff.Strategy.FIXED, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), 0.0), List.of());
		TaskSettingsResolver taskSettings = new TaskSettingsResolver(defaults, Map.of(), registry);
		PayloadCodec codec = new PayloadCodec(JsonMapper.builder().build());
		ActiveTasks activeTasks = new ActiveTasks();
		TaskExecutor executor = new TaskExecutor(registry, taskSettings, codec,
				List.of(new RecoveryInterceptor(), new MdcLoggingInterceptor(), this.timeout), activeTasks, listener,
				clock);
		this.client = new DefaultTaskClient(this.broker, taskSettings, codec, listener, 1024 * 1024, clock);
		this.server = new WorkerServer(this.broker, executor, activeTasks, taskSettings, registry,
				new ServerSettings(4, Map.of(queue, 1), false, Map.of(), Map.of(), shutdownTimeout,
						Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(100)),
				listener, clock);
	}

	RabbitWorker start() {
		this.server.start();
		return this;
	}

	@Override
	public void close() {
		this.server.stop();
		this.timeout.close();
		this.broker.destroy();
	}

}
