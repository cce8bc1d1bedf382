package io.worker.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.worker.runtime.PayloadBindingException;
import io.worker.runtime.PayloadCodec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the {@link PayloadCodec} that {@link WorkerAutoConfiguration} builds: the payload JSON
 * is Worker's wire format and the source of unique keys, so the application's Jackson settings must
 * not change it, while its Jackson modules still apply.
 */
class WorkerPayloadCodecTests {

	private static final Order ORDER = new Order(7, "Ada Lovelace", lines(), Instant.parse("2026-01-02T03:04:05Z"),
			Duration.ofMinutes(90), null, List.of("gift"));

	/** The wire format, pinned: a change here changes every unique key already held. */
	private static final String ORDER_JSON = "{\"orderId\":7,\"customerName\":\"Ada Lovelace\","
			+ "\"lines\":{\"pencil\":2,\"notebook\":1},\"placedAt\":\"2026-01-02T03:04:05Z\",\"window\":\"PT1H30M\","
			+ "\"note\":null,\"extra\":[\"gift\"]}";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WorkerAutoConfiguration.class))
		.withPropertyValues("worker.backend=noop");

	@Test
	void writesTheWireFormatWithTheApplicationsDefaultMapper() {
		this.contextRunner.run((context) -> assertThat(json(context.getBean(PayloadCodec.class).write(ORDER)))
			.isEqualTo(ORDER_JSON));
	}

	@Test
	void writesTheWireFormatWithoutAnApplicationMapper() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WorkerAutoConfiguration.class))
			.withPropertyValues("worker.backend=noop")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(JsonMapper.class);
				assertThat(json(context.getBean(PayloadCodec.class).write(ORDER))).isEqualTo(ORDER_JSON);
			});
	}

	@Test
	void writesTheSameBytesAsAPlainMapper() {
		// what the runtime's own tests and hand-built servers use
		assertThat(PayloadCodec.withModules(List.of()).write(ORDER))
			.isEqualTo(new PayloadCodec(JsonMapper.builder().build()).write(ORDER));
	}

	@Test
	void applicationsJacksonSettingsDoNotChangeTheWireFormat() {
		this.contextRunner.withBean(JsonMapperBuilderCustomizer.class, () -> WorkerPayloadCodecTests::reconfigure)
			.run((context) -> {
				byte[] applicationJson = context.getBean(JsonMapper.class).writeValueAsBytes(ORDER);
				assertThat(json(applicationJson)).as("the application's own JSON").contains("\n", "customer_name",
						"\"java.util.ImmutableCollections$List12\"").doesNotContain("\"note\"");
				assertThat(json(context.getBean(PayloadCodec.class).write(ORDER))).isEqualTo(ORDER_JSON);
			});
	}

	@Test
	void payloadWithPolymorphicTypeInfoIsNotBoundPolymorphically() {
		this.contextRunner.withBean(JsonMapperBuilderCustomizer.class, () -> WorkerPayloadCodecTests::reconfigure)
			.run((context) -> {
				PayloadCodec codec = context.getBean(PayloadCodec.class);
				assertThat(codec.read(bytes("[\"java.util.TreeMap\", {\"a\": 1}]"), Object.class))
					.isEqualTo(List.of("java.util.TreeMap", Map.of("a", 1)));
				assertThat(codec.read(bytes("{\"@class\": \"java.util.TreeMap\", \"a\": 1}"), Object.class))
					.isInstanceOf(LinkedHashMap.class)
					.isEqualTo(Map.of("@class", "java.util.TreeMap", "a", 1));
				Order order = (Order) codec.read(bytes("{\"orderId\": 8, \"extra\": [\"java.util.TreeMap\", {}]}"),
						Order.class);
				assertThat(order.extra()).isEqualTo(List.of("java.util.TreeMap", Map.of()));
				assertThatExceptionOfType(PayloadBindingException.class)
					.isThrownBy(() -> codec.read(bytes("[\"java.util.TreeMap\", {\"a\": 1}]"), Map.class));
			});
	}

	@Test
	void applicationsModulesApplyToPayloads() {
		this.contextRunner.withBean("moneyModule", JacksonModule.class, WorkerPayloadCodecTests::moneyModule)
			.run((context) -> {
				PayloadCodec codec = context.getBean(PayloadCodec.class);
				byte[] json = codec.write(new Invoice(new Money(1250, "EUR")));
				assertThat(json(json)).isEqualTo("{\"total\":\"12.50 EUR\"}");
				assertThat(codec.read(json, Invoice.class)).isEqualTo(new Invoice(new Money(1250, "EUR")));
			});
	}

	@Test
	void codecIsNotOfferedAsTheApplicationsMapper() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JsonMapper.class);
			assertThat(context).hasSingleBean(PayloadCodec.class);
		});
	}

	private static void reconfigure(JsonMapper.Builder builder) {
		builder.enable(SerializationFeature.INDENT_OUTPUT)
			.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
			.enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.enable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(Include.NON_NULL))
			.activateDefaultTyping(BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
					DefaultTyping.NON_FINAL);
	}

	private static Map<String, Integer> lines() {
		Map<String, Integer> lines = new LinkedHashMap<>();
		lines.put("pencil", 2);
		lines.put("notebook", 1);
		return lines;
	}

	private static JacksonModule moneyModule() {
		SimpleModule module = new SimpleModule("money");
		module.addSerializer(Money.class, new ValueSerializer<>() {

			@Override
			public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
				generator.writeString(String.format("%d.%02d %s", value.cents() / 100, value.cents() % 100,
						value.currency()));
			}

		});
		module.addDeserializer(Money.class, new ValueDeserializer<>() {

			@Override
			public Money deserialize(JsonParser parser, DeserializationContext context) {
				String[] parts = parser.getString().split(" ");
				return new Money(Math.round(Double.parseDouble(parts[0]) * 100), parts[1]);
			}

		});
		return module;
	}

	private static String json(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	record Order(long orderId, String customerName, Map<String, Integer> lines, Instant placedAt, Duration window,
			@Nullable String note, @Nullable Object extra) {
	}

	record Money(long cents, String currency) {
	}

	record Invoice(Money total) {
	}

}
