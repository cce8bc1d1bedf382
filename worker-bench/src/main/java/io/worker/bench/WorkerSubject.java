package io.worker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.IntStream;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.runtime.WorkerServer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Worker on one backend, as an application uses it: each session starts a Spring Boot application
 * with the starter's auto-configuration, enqueues through its {@link TaskClient} and runs tasks
 * through its worker server. Works for any value of {@code worker.backend}.
 */
public final class WorkerSubject extends SessionSubject {

	private static final int WARM_UP_TASKS = 1000;

	private final String backend;

	private final @Nullable BenchRedis redis;

	private final @Nullable BenchRabbit rabbit;

	private final @Nullable BenchKafka kafka;

	/**
	 * @param backend the value of {@code worker.backend}
	 * @param redis the Redis the backend uses, or {@code null} when it uses none
	 */
	public WorkerSubject(String backend, @Nullable BenchRedis redis) {
		this(backend, redis, null, null);
	}

	/**
	 * @param backend the value of {@code worker.backend}
	 * @param redis the Redis the backend uses, or {@code null}
	 * @param rabbit the RabbitMQ (and the run's vhost) the backend uses, or {@code null}
	 * @param kafka the Kafka the backend uses, or {@code null}
	 */
	public WorkerSubject(String backend, @Nullable BenchRedis redis, @Nullable BenchRabbit rabbit,
			@Nullable BenchKafka kafka) {
		this.backend = backend;
		this.redis = redis;
		this.rabbit = rabbit;
		this.kafka = kafka;
	}

	@Override
	public String name() {
		return "Worker";
	}

	@Override
	public String backend() {
		return this.backend;
	}

	@Override
	public Role role() {
		return Role.OURS;
	}

	@Override
	protected Session open(int concurrency, CompletionTracker tracker) {
		return new WorkerSession(concurrency, tracker);
	}

	private final class WorkerSession implements Session {

		/** Every Redis key of the session starts with it, so that only those are deleted. */
		private final String namespace = "bench-" + UUID.randomUUID();

		/** Every Kafka topic and group of the session starts with it (under the run's prefix). */
		private final String kafkaPrefix = (WorkerSubject.this.kafka != null)
				? WorkerSubject.this.kafka.prefix() + ".w-" + UUID.randomUUID() : "";

		private final ConfigurableApplicationContext context;

		private final TaskClient client;

		private final WorkerServer server;

		WorkerSession(int concurrency, CompletionTracker tracker) {
			Map<String, Object> properties = new HashMap<>();
			properties.put("worker.backend", WorkerSubject.this.backend);
			properties.put("worker.server.concurrency", concurrency);
			properties.put("worker.queues." + WorkerBenchApplication.TASK_TYPE + ".weight", 1);
			properties.put("worker.redis.namespace", this.namespace);
			if (WorkerSubject.this.redis != null) {
				properties.put("spring.data.redis.url", WorkerSubject.this.redis.uri());
			}
			BenchRabbit rabbit = WorkerSubject.this.rabbit;
			if (rabbit != null) {
				// exchanges and queues named <namespace>.…, in the run's own vhost
				properties.put("worker.rabbitmq.prefix", this.namespace);
				properties.put("spring.rabbitmq.host", rabbit.host());
				properties.put("spring.rabbitmq.port", rabbit.port());
				properties.put("spring.rabbitmq.username", rabbit.username());
				properties.put("spring.rabbitmq.password", rabbit.password());
				properties.put("spring.rabbitmq.virtual-host", rabbit.virtualHost());
			}
			if (WorkerSubject.this.kafka != null) {
				properties.put("worker.kafka.prefix", this.kafkaPrefix);
				properties.put("worker.kafka.group-id", this.kafkaPrefix);
				properties.put("spring.kafka.bootstrap-servers", WorkerSubject.this.kafka.bootstrapServers());
			}
			properties.put("logging.level.root", "WARN");
			SpringApplication application = new SpringApplication(WorkerBenchApplication.class);
			application.setBannerMode(Banner.Mode.OFF);
			application.setLogStartupInfo(false);
			application.setDefaultProperties(properties);
			CompletionTracker warmUp = new CompletionTracker(WARM_UP_TASKS);
			application.addInitializers((context) -> {
				context.getBeanFactory().registerSingleton(WorkerBenchApplication.TRACKER, tracker);
				context.getBeanFactory().registerSingleton(WorkerBenchApplication.WARM_UP_TRACKER, warmUp);
			});
			this.context = application.run();
			this.client = this.context.getBean(TaskClient.class);
			this.server = this.context.getBean(WorkerServer.class);
			warmUp(warmUp);
			// the server started with the context: hold it until the tasks of a drain are queued
			this.server.stop();
		}

		/**
		 * Run a few tasks through the new application, so that its first measured tasks do not pay
		 * for what a fresh context builds on first use (such as its JSON mapper's deserializers),
		 * which stalls them for a few hundred milliseconds.
		 */
		private void warmUp(CompletionTracker warmUp) {
			this.client.enqueueAll(IntStream.range(0, WARM_UP_TASKS)
				.mapToObj((id) -> Task.of(WorkerBenchApplication.WARM_UP_TYPE, new BenchPayload(id, System.nanoTime(), "")))
				.toList());
			try {
				warmUp.await(Duration.ofSeconds(60));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while warming up", ex);
			}
		}

		@Override
		public void enqueue(BenchPayload task) {
			this.client.enqueue(WorkerBenchApplication.TASK_TYPE, task);
		}

		@Override
		public void enqueueAll(List<BenchPayload> tasks) {
			this.client.enqueueAll(tasks.stream().map((task) -> Task.of(WorkerBenchApplication.TASK_TYPE, task)).toList());
		}

		@Override
		public void startConsumers() {
			this.server.start();
		}

		/** Redis's {@code used_memory}; on the in-memory backend, the heap after a full collection. */
		@Override
		public OptionalLong brokerMemory() {
			if (WorkerSubject.this.redis != null) {
				return OptionalLong.of(WorkerSubject.this.redis.usedMemory());
			}
			if ("memory".equals(WorkerSubject.this.backend)) {
				return OptionalLong.of(heapAfterFullGc());
			}
			return OptionalLong.empty();
		}

		private static long heapAfterFullGc() {
			MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
			// twice: the first collection may leave what finalization or reference processing frees
			memory.gc();
			memory.gc();
			return memory.getHeapMemoryUsage().getUsed();
		}

		@Override
		public void close() {
			this.context.close();
			if (WorkerSubject.this.redis != null) {
				WorkerSubject.this.redis.deleteKeys(this.namespace);
			}
			if (WorkerSubject.this.rabbit != null) {
				WorkerSubject.this.rabbit.deleteQueues(this.namespace);
			}
			if (WorkerSubject.this.kafka != null) {
				WorkerSubject.this.kafka.delete(this.kafkaPrefix);
			}
		}

	}

}
