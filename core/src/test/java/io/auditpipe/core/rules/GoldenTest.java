package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: each directory under {@code golden/} holds rules, input records and the expected
 * WorkOS request bodies or failures. Run with {@code -Dgolden.update=true} to rewrite the expected
 * files after a deliberate change (then review the diff).
 */
class GoldenTest {

  /** "Now" for every golden case: future-timestamp policies are measured against it. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

  /** External ids known to the golden cases' resolver. */
  static final OrganizationResolver RESOLVER =
      externalId ->
          Optional.ofNullable(
              Map.of("tenant-acme", "org_01ACME", "tenant-globex", "org_01GLOBEX").get(externalId));

  static Stream<String> cases() throws IOException, URISyntaxException {
    Path root = Paths.get(GoldenTest.class.getResource("/golden").toURI());
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mapsAsExpected(String name) throws Exception {
    Path dir = Paths.get(GoldenTest.class.getResource("/golden/" + name).toURI());
    CompiledRules rules =
        RulesCompiler.compile(GoldenCase.read(dir.resolve("rules.json")), RESOLVER, CLOCK);
    // Mapped as every caller maps a record's bytes (read, then map); and as a whole tree, as the
    // connector maps values Connect converted to objects.
    List<String> actual = new ArrayList<>();
    List<String> actualFromTree = new ArrayList<>();
    for (GoldenCase.Input input : GoldenCase.inputs(dir.resolve("input.jsonl"))) {
      actual.add(
          GoldenCase.MAPPER.writeValueAsString(
              GoldenCase.render(
                  rules.map(rules.readValue(GoldenCase.bytes(input)), input.context()))));
      actualFromTree.add(
          GoldenCase.MAPPER.writeValueAsString(
              GoldenCase.render(rules.map(input.value(), input.context()))));
    }
    Path expectedFile = dir.resolve("expected.jsonl");
    if (Boolean.getBoolean("golden.update")) {
      Path source = Paths.get("src/test/resources/golden", name, "expected.jsonl");
      Files.writeString(source, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
      return;
    }
    List<JsonNode> expected = new ArrayList<>();
    for (String line : Files.readAllLines(expectedFile, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        expected.add(GoldenCase.MAPPER.readTree(line));
      }
    }
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < actual.size(); i++) {
      assertThat(GoldenCase.MAPPER.readTree(actual.get(i)))
          .as("%s, input line %d", name, i + 1)
          .isEqualTo(expected.get(i));
      assertThat(actualFromTree.get(i))
          .as("%s, input line %d mapped from its whole tree", name, i + 1)
          .isEqualTo(actual.get(i));
    }
  }
}
