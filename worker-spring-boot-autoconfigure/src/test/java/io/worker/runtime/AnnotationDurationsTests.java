package io.worker.runtime;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Durations in annotation attributes read as Spring Boot's properties read them.
 */
class AnnotationDurationsTests {

	@Test
	void readsTheSimpleStyleWithEachUnitAndMillisecondsWithoutOne() {
		assertThat(AnnotationDurations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
		assertThat(AnnotationDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(AnnotationDurations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
		assertThat(AnnotationDurations.parse("2H")).isEqualTo(Duration.ofHours(2));
		assertThat(AnnotationDurations.parse("1d")).isEqualTo(Duration.ofDays(1));
		assertThat(AnnotationDurations.parse("250")).isEqualTo(Duration.ofMillis(250));
		assertThat(AnnotationDurations.parse("7us")).isEqualTo(Duration.ofNanos(7000));
	}

	@Test
	void readsIso8601() {
		assertThat(AnnotationDurations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
		assertThat(AnnotationDurations.parse("-PT1S")).isEqualTo(Duration.ofSeconds(-1));
	}

	@Test
	void refusesWhatIsNeither() {
		assertThatIllegalArgumentException().isThrownBy(() -> AnnotationDurations.parse("soon"));
		assertThatIllegalArgumentException().isThrownBy(() -> AnnotationDurations.parse("5 minutes"));
		assertThatIllegalArgumentException().isThrownBy(() -> AnnotationDurations.parse("3w"));
		assertThatIllegalArgumentException().isThrownBy(() -> AnnotationDurations.parse("PT"));
	}

}
