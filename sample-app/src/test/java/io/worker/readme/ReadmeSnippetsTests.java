package io.worker.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet in the README compiles as written: each appears, up to whitespace, in a
 * source file of this module, which the build compiles.
 */
class ReadmeSnippetsTests {

	private static final Path README = Path.of("..", "README.md");

	private static final List<Path> SOURCE_ROOTS = List.of(Path.of("src", "main", "java"),
			Path.of("src", "test", "java"));

	private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

	// a snippet may show several top-level types; in Java each lives in its own file
	private static final Pattern TOP_LEVEL_DECLARATION = Pattern
		.compile("\\n\\n(?=(@|public |final |abstract |class |record |interface |enum ))");

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	@Test
	void everyJavaSnippetIsInACompiledSourceFile() throws IOException {
		List<String> snippets = javaSnippets(Files.readString(README));
		assertThat(snippets).as("Java snippets in %s", README).hasSizeGreaterThanOrEqualTo(10);
		String sources = normalise(sources());
		SoftAssertions softly = new SoftAssertions();
		for (String snippet : snippets) {
			for (String part : TOP_LEVEL_DECLARATION.split(snippet)) {
				// a boolean: the message names the snippet, not the whole of the sources
				softly.assertThat(sources.contains(normalise(part)))
					.as("README snippet has a compiled copy under sample-app/src:%n%s", part)
					.isTrue();
			}
		}
		softly.assertAll();
	}

	@Test
	void splittingKeepsEachTopLevelTypeWhole() {
		String snippet = "public record A() {\n}\n\n@Component\npublic class B {\n\n\tint b;\n\n}\n";
		assertThat(TOP_LEVEL_DECLARATION.split(snippet)).containsExactly("public record A() {\n}",
				"@Component\npublic class B {\n\n\tint b;\n\n}\n");
	}

	private static List<String> javaSnippets(String markdown) {
		List<String> snippets = new ArrayList<>();
		Matcher matcher = JAVA_BLOCK.matcher(markdown);
		while (matcher.find()) {
			snippets.add(matcher.group(1));
		}
		return snippets;
	}

	private static String sources() throws IOException {
		StringBuilder sources = new StringBuilder();
		for (Path root : SOURCE_ROOTS) {
			try (Stream<Path> files = Files.walk(root)) {
				sources.append(files.filter((file) -> file.toString().endsWith(".java"))
					.map(ReadmeSnippetsTests::read)
					.collect(Collectors.joining("\n")));
			}
		}
		return sources.toString();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String normalise(String code) {
		return WHITESPACE.matcher(code).replaceAll(" ").trim();
	}

}
