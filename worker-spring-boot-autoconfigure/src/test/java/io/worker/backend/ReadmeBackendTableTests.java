package io.worker.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.worker.backend.kafka.KafkaTaskBroker;
import io.worker.backend.memory.InMemoryTaskStore;
import io.worker.backend.memory.TaskRecorder;
import io.worker.backend.rabbitmq.RabbitTaskBroker;
import io.worker.backend.redis.RedisTaskStore;
import io.worker.backend.redis.RedisTestSupport;
import io.worker.spi.Capability;
import io.worker.spi.TaskBackend;
import io.worker.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's backend × capability table says exactly what each backend's
 * {@link TaskBackend#capabilities()} declares, so that it cannot drift.
 */
class ReadmeBackendTableTests {

	private static final String START = "<!-- backend-capabilities";

	private static final String END = "<!-- /backend-capabilities -->";

	@Test
	void everyBackendColumnMatchesWhatThatBackendDeclares() throws IOException {
		Map<String, Set<Capability>> table = readTable();
		Map<String, Set<Capability>> declared = new LinkedHashMap<>();
		declared.put("memory", new InMemoryTaskStore(Clock.systemUTC(), Duration.ofMinutes(1), 10, Duration.ofDays(1),
				new TaskRecorder(0)).capabilities());
		LettuceConnectionFactory redis = TestRedis.connect();
		try (RedisTaskStore store = new RedisTaskStore(redis, RedisTestSupport.namespace(), Clock.systemUTC(),
				Duration.ofSeconds(30), 10, Duration.ofDays(1))) {
			declared.put("redis", store.capabilities());
		}
		finally {
			redis.destroy();
		}
		declared.put("rabbitmq", RabbitTaskBroker.CAPABILITIES);
		declared.put("kafka", KafkaTaskBroker.CAPABILITIES);
		assertThat(table).isEqualTo(declared);
	}

	/** The capabilities marked ✓ in each backend's column; every capability must have a row. */
	private static Map<String, Set<Capability>> readTable() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		int start = readme.indexOf(START);
		int end = readme.indexOf(END);
		assertThat(start).as("the README's backend table start marker").isNotNegative();
		assertThat(end).as("the README's backend table end marker").isGreaterThan(start);
		List<String> rows = readme.substring(start, end).lines().filter((line) -> line.startsWith("|")).toList();
		List<String> backends = new ArrayList<>();
		for (String column : cells(rows.get(0)).subList(2, cells(rows.get(0)).size())) {
			backends.add(column.replace("`", ""));
		}
		Map<String, Set<Capability>> table = new LinkedHashMap<>();
		backends.forEach((backend) -> table.put(backend, EnumSet.noneOf(Capability.class)));
		Set<Capability> rowsSeen = EnumSet.noneOf(Capability.class);
		for (String row : rows.subList(2, rows.size())) {
			List<String> cells = cells(row);
			Capability capability = Capability.valueOf(cells.get(0).replace("`", ""));
			rowsSeen.add(capability);
			for (int i = 0; i < backends.size(); i++) {
				if (cells.get(i + 2).startsWith("✓")) {
					table.get(backends.get(i)).add(capability);
				}
			}
		}
		assertThat(rowsSeen).as("a row for every capability").isEqualTo(EnumSet.allOf(Capability.class));
		return table;
	}

	private static List<String> cells(String row) {
		List<String> cells = new ArrayList<>();
		for (String cell : row.substring(1, row.length() - 1).split("\\|", -1)) {
			cells.add(cell.trim());
		}
		return cells;
	}

}
