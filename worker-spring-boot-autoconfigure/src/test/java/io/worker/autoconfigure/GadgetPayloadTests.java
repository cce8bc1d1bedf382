package io.worker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.worker.Task;
import io.worker.TaskClient;
import io.worker.TaskDetail;
import io.worker.TaskHandler;
import io.worker.TaskInspector;
import io.worker.TaskState;
import io.worker.autoconfigure.redis.WorkerRedisBackendAutoConfiguration;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gadget-style payloads, end to end on the memory and Redis backends, with an application whose own
 * {@code JsonMapper} enables default typing for everything: a payload naming a class (as a type-id
 * array or an {@code @class} property) reaches a handler declared as {@code Object} or {@code Map}
 * as plain data, a handler declared as an interface gets its task archived, and the named class is
 * never instantiated.
 */
class GadgetPayloadTests {

	/** The JDK gadget of the classic Jackson exploits: instantiated, it looks up a JNDI name. */
	private static final String JDBC_ROW_SET = "com.sun.rowset.JdbcRowSetImpl";

	private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DataRedisAutoConfiguration.class,
				WorkerMemoryBackendAutoConfiguration.class, WorkerRedisBackendAutoConfiguration.class,
				WorkerAutoConfiguration.class, WorkerServerAutoConfiguration.class))
		.withBean(JsonMapperBuilderCustomizer.class, () -> GadgetPayloadTests::permissiveDefaultTyping)
		.withUserConfiguration(Handlers.class);

	private final String namespace = "wtest-gadget-" + UUID.randomUUID();

	@BeforeEach
	void resetGadget() {
		Gadget.instances.set(0);
	}

	@AfterEach
	void gadgetNeverInstantiated() {
		assertThat(Gadget.instances).as("instances of the class named in payloads").hasValue(0);
	}

	@Test
	void memoryBackendBindsGadgetsAsPlainData() {
		RUNNER.withPropertyValues("worker.backend=memory").run(this::gadgetsAreContained);
	}

	@Test
	void redisBackendBindsGadgetsAsPlainData() {
		RUNNER
			.withPropertyValues(
					TestRedis.springProperties("worker.backend=redis", "worker.redis.namespace=" + this.namespace))
			.run((context) -> {
				try {
					gadgetsAreContained(context);
				}
				finally {
					deleteNamespace(context.getBean(RedisConnectionFactory.class));
				}
			});
	}

	private void gadgetsAreContained(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		// the control: the application's own mapper does instantiate what such a payload names
		assertThat(context.getBean(JsonMapper.class)
			.readValue("[\"" + Gadget.class.getName() + "\", {\"command\": \"x\"}]", Object.class))
			.isInstanceOf(Gadget.class);
		Gadget.instances.set(0);
		TaskClient client = context.getBean(TaskClient.class);
		Handlers handlers = context.getBean(Handlers.class);
		client.enqueue(Task.of("gadget:object", List.of(Gadget.class.getName(), Map.of("command", "touch /tmp/x"))));
		client.enqueue(Task.of("gadget:object",
				List.of(JDBC_ROW_SET, Map.of("dataSourceName", "ldap://127.0.0.1:1/Exploit", "autoCommit", true))));
		client.enqueue(Task.of("gadget:map", Map.of("@class", Gadget.class.getName(), "command", "touch /tmp/x")));
		client.enqueue(Task.of("gadget:map", Map.of("nested", List.of(Gadget.class.getName(), Map.of()))));
		String shape = client.enqueue(Task.of("gadget:shape", List.of(Gadget.class.getName(), Map.of("sides", 3))))
			.id();
		await().atMost(Duration.ofSeconds(20)).until(() -> handlers.objects.size() == 2 && handlers.maps.size() == 2);

		assertThat(handlers.objects).containsExactlyInAnyOrder(
				List.of(Gadget.class.getName(), Map.of("command", "touch /tmp/x")),
				List.of(JDBC_ROW_SET, Map.of("dataSourceName", "ldap://127.0.0.1:1/Exploit", "autoCommit", true)));
		handlers.objects.forEach(GadgetPayloadTests::onlyPlainData);
		assertThat(handlers.maps).containsExactlyInAnyOrder(
				Map.of("@class", Gadget.class.getName(), "command", "touch /tmp/x"),
				Map.of("nested", List.of(Gadget.class.getName(), Map.of())));
		handlers.maps.forEach(GadgetPayloadTests::onlyPlainData);

		TaskInspector inspector = context.getBean(TaskInspector.class);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> inspector.task("default", shape).map(TaskDetail::state).orElse(null) == TaskState.ARCHIVED);
		assertThat(inspector.task("default", shape).orElseThrow().lastError()).contains("Cannot read payload as");
		assertThat(handlers.shapes).isEmpty();
	}

	/** Only what JSON itself describes: maps, lists, strings, numbers, booleans. */
	private static void onlyPlainData(Object value) {
		walk(value, (node) -> assertThat(node).isInstanceOfAny(LinkedHashMap.class, ArrayList.class, String.class,
				Integer.class, Boolean.class));
	}

	private static void walk(Object value, Consumer<Object> visitor) {
		visitor.accept(value);
		if (value instanceof Map<?, ?> map) {
			map.values().forEach((child) -> walk(child, visitor));
		}
		else if (value instanceof List<?> list) {
			list.forEach((child) -> walk(child, visitor));
		}
	}

	private void deleteNamespace(RedisConnectionFactory factory) {
		try (RedisConnection connection = factory.getConnection()) {
			List<byte[]> keys = new ArrayList<>();
			ScanOptions options = ScanOptions.scanOptions().match(this.namespace + ":*").count(1000).build();
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
				cursor.forEachRemaining(keys::add);
			}
			if (!keys.isEmpty()) {
				connection.keyCommands().del(keys.toArray(new byte[0][]));
			}
		}
	}

	/** What an application does when it wants polymorphic JSON of its own, at its most permissive. */
	private static void permissiveDefaultTyping(JsonMapper.Builder builder) {
		builder.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfSubType(Object.class).build(),
				DefaultTyping.NON_FINAL);
	}

	/** A class an attacker names in a payload; its constructor and setter count any instantiation. */
	public static class Gadget implements Shape {

		static final AtomicInteger instances = new AtomicInteger();

		public Gadget() {
			instances.incrementAndGet();
		}

		public void setCommand(String command) {
			instances.incrementAndGet();
		}

		public void setSides(int sides) {
			instances.incrementAndGet();
		}

	}

	/** A handler parameter type that a polymorphic reader would resolve through the payload's type id. */
	public interface Shape {

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		final List<Object> objects = new CopyOnWriteArrayList<>();

		final List<Map<String, Object>> maps = new CopyOnWriteArrayList<>();

		final List<Shape> shapes = new CopyOnWriteArrayList<>();

		@TaskHandler("gadget:object")
		void object(Object payload) {
			this.objects.add(payload);
		}

		@TaskHandler("gadget:map")
		void map(Map<String, Object> payload) {
			this.maps.add(payload);
		}

		@TaskHandler(value = "gadget:shape", maxRetries = 0)
		void shape(Shape payload) {
			this.shapes.add(payload);
		}

	}

}
