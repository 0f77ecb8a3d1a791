package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document under {@code malformed/} is rejected with an error at the exact location listed in
 * {@code malformed-expectations.json}: name, location, JSON Pointer, message fragment.
 */
class MalformedRulesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in =
        MalformedRulesTest.class.getResourceAsStream("/malformed-expectations.json")) {
      for (JsonNode c : MAPPER.readTree(in)) {
        out.add(
            Arguments.of(
                c.get(0).asText(), c.get(1).asText(), c.get(2).asText(), c.get(3).asText()));
      }
    }
    return out.stream();
  }

  static String document(String name) throws IOException {
    try (InputStream in =
        MalformedRulesTest.class.getResourceAsStream("/malformed/" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void thereAreAtLeastThirtyMalformedDocuments() throws IOException {
    assertThat(cases().count()).isGreaterThanOrEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectedWithExactLocation(String name, String location, String pointer, String message)
      throws IOException {
    RulesValidationException e =
        catchThrowableOfType(
            RulesValidationException.class, () -> RulesCompiler.compile(document(name)));
    assertThat(e).as("%s must be rejected", name).isNotNull();
    assertThat(e.errors())
        .as("%s: errors %s", name, e.errors())
        .anySatisfy(
            error -> {
              assertThat(error.location()).isEqualTo(location);
              assertThat(error.pointer()).isEqualTo(pointer);
              assertThat(error.message()).contains(message);
            });
    String expectedLine = location.isEmpty() ? message : location + ": ";
    assertThat(e.getMessage()).contains(expectedLine);
    assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void reportsEveryErrorNotJustTheFirst() {
    String doc =
        """
        {"version": 2, "unmatched": "drop",
         "rules": [
           {"name": "a", "topics": ["t"], "action": "x.{status}", "organization_id": "o",
            "actor": {"id": {"path": "id"}, "type": "user"}, "targets": [], "context": {"location": "l"},
            "metadata": {"m": {"path": "/m", "fn": "md5"}}},
           {"name": "a", "topics": ["t"], "action": "y", "organization_id": "o",
            "actor": {"id": "u", "type": "user"}, "targets": [], "context": {"location": "l"},
            "when": {"path": "/x", "matches": "("}}
         ]}
        """;
    RulesValidationException e =
        catchThrowableOfType(RulesValidationException.class, () -> RulesCompiler.compile(doc));
    assertThat(e.errors())
        .extracting(RulesError::toString)
        .containsExactly(
            "version: expected 1, found 2",
            "unmatched: expected one of skip, dlq, found \"drop\"",
            "rules[0] \"a\" action: template: {status} at character 2: expected {/pointer},"
                + " {root:/pointer}, {key:/pointer}, {header:name} or"
                + " {record:topic|partition|offset|timestamp}",
            "rules[0] \"a\" actor.id.path: path \"id\": expected a JSON Pointer starting with \"/\""
                + " (RFC 6901), e.g. \"/user/id\"",
            "rules[0] \"a\" metadata.m.fn: unknown function \"md5\"; expected one of lower, upper,"
                + " trim, sha256, mask, mask_email",
            "rules[1] \"a\" name: duplicate rule name \"a\" (also rules[0])",
            "rules[1] \"a\" when.matches: invalid regular expression: Unclosed group near"
                + " character 1");
  }

  @Test
  void validateListsErrorsWithoutThrowing() {
    assertThat(RulesCompiler.validate("{\"version\": 1}"))
        .extracting(RulesError::toString)
        .containsExactly("missing \"rules\"; expected an array of rules");
  }
}
