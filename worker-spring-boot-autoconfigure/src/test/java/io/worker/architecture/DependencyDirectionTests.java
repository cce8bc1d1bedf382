package io.worker.architecture;

import java.util.Arrays;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;


import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies point one way, api ← spi ← runtime ← backends ← auto-configuration, and only a
 * backend's own packages use its client library, so that the API and the SPI can be used without
 * Spring Boot and a backend can be added or left out without touching the others.
 */
class DependencyDirectionTests {

	private static final String[] SPRING_BOOT = { "org.springframework.boot.." };

	private static final String[] REDIS = { "org.springframework.data.redis..", "io.lettuce..",
			"org.springframework.boot.data.redis.." };

	private static final String[] RABBITMQ = { "org.springframework.amqp..", "com.rabbitmq..",
			"org.springframework.boot.amqp.." };

	private static final String[] KAFKA = { "org.apache.kafka..", "org.springframework.kafka..",
			"org.springframework.boot.kafka.." };

	private static final String[] WORKER_IMPLEMENTATION = { "io.worker.backend..", "io.worker.runtime..",
			"io.worker.autoconfigure.." };

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.worker");

	@Test
	void apiUsesNeitherSpringBootNorABackendNorTheLayersBelowIt() {
		noClasses().that()
			.resideInAPackage("io.worker")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(SPRING_BOOT, REDIS, RABBITMQ, KAFKA, WORKER_IMPLEMENTATION,
					new String[] { "io.worker.spi.." }))
			.check(classes);
	}

	@Test
	void spiUsesNeitherSpringBootNorABackendNorTheLayersBelowIt() {
		noClasses().that()
			.resideInAPackage("io.worker.spi..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(SPRING_BOOT, REDIS, RABBITMQ, KAFKA, WORKER_IMPLEMENTATION))
			.check(classes);
	}

	@Test
	void runtimeUsesNeitherSpringBootNorABackend() {
		noClasses().that()
			.resideInAPackage("io.worker.runtime..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(SPRING_BOOT, REDIS, RABBITMQ, KAFKA,
					new String[] { "io.worker.backend..", "io.worker.autoconfigure.." }))
			.check(classes);
	}

	@Test
	void backendsDoNotUseTheAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("io.worker.backend..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.worker.autoconfigure..")
			.check(classes);
	}

	@Test
	void onlyTheRedisBackendUsesRedis() {
		onlyBackendUses("redis", REDIS);
	}

	@Test
	void onlyTheRabbitMqBackendUsesRabbitMq() {
		onlyBackendUses("rabbitmq", RABBITMQ);
	}

	@Test
	void onlyTheKafkaBackendUsesKafka() {
		onlyBackendUses("kafka", KAFKA);
	}

	private static void onlyBackendUses(String backend, String[] packages) {
		noClasses().that()
			.resideOutsideOfPackages("io.worker.backend." + backend + "..", "io.worker.autoconfigure." + backend + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(packages)
			.check(classes);
	}

	private static String[] concat(String[]... groups) {
		return Arrays.stream(groups).flatMap(Arrays::stream).toArray(String[]::new);
	}

}
