package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mapping-rules.schema.json} (shipped by the schemas module) agrees with the compiler: every
 * rules document in the test resources that compiles also conforms to the schema, and the
 * structural mistakes an editor should flag (typos, wrong enums, missing keys) break the schema.
 */
class RulesSchemaTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = RulesSchemaTest.class.getResourceAsStream("/mapping-rules.schema.json")) {
      assertThat(in).as("mapping-rules.schema.json on the classpath").isNotNull();
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  static Stream<String> validDocuments() throws IOException, URISyntaxException {
    Path root = Paths.get(RulesSchemaTest.class.getResource("/").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.getFileName().toString().equals("rules.json"))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validDocuments")
  void everyTestRulesDocumentConformsToTheSchema(String resource) throws Exception {
    String text =
        GoldenCase.read(Paths.get(RulesSchemaTest.class.getResource("/" + resource).toURI()));
    RulesCompiler.compile(text);
    Set<ValidationMessage> errors = schema.validate(MAPPER.readTree(text));
    assertThat(errors).as(resource).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "missing-version",
        "wrong-version",
        "unknown-root-key",
        "bad-unmatched",
        "bad-match",
        "policy-typo",
        "policy-bad-value",
        "policy-depth-range",
        "missing-rules",
        "empty-rules",
        "rule-not-object",
        "missing-name",
        "rule-key-typo",
        "missing-action",
        "missing-topics",
        "empty-topic-name",
        "unknown-function",
        "unknown-function-in-chain",
        "bad-timestamp-format",
        "condition-no-operator",
        "condition-two-operators",
        "condition-in-not-array",
        "condition-all-not-array",
        "condition-nested",
        "condition-exists-not-boolean",
        "combinator-with-extra-key",
        "two-sources",
        "no-source",
        "value-key-typo",
        "bad-metadata-key",
        "too-many-metadata-keys",
        "targets-not-array",
        "for-each-bad-pointer",
        "lookup-table-nested",
        "bad-record-field",
        "defaults-unknown-key",
        "defaults-bad-value",
        "null-value",
        "default-not-scalar",
        "coalesce-empty",
        "coalesce-bad-member",
        "header-empty",
        "external-id-bad-inner",
        "pointer-without-slash",
        "pointer-bad-escape",
        "view-bad-parse",
        "view-bad-pointer",
        "view-two-kinds",
        "view-first-present-bad-pointer",
        "timestamp-list-bad-format",
        "timestamp-auto-without-unit",
        "join-limit-too-large",
        "join-not-a-separator",
        "table-bad-value",
        "group-key-typo",
        "group-bad-unmatched",
        "group-defaults-bad-value"
      })
  void schemaFlagsStructuralMistakes(String name) throws IOException {
    JsonNode doc = MAPPER.readTree(MalformedRulesTest.document(name));
    assertThat(schema.validate(doc)).as(name).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"rule-key-typo,acton", "value-key-typo,optinal", "policy-typo,metadata_to_long"})
  void typoIsNamedByTheSchema(String name, String typo) throws IOException {
    JsonNode doc = MAPPER.readTree(MalformedRulesTest.document(name));
    assertThat(schema.validate(doc))
        .extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("'" + typo + "'") && m.contains("not defined in the schema"));
  }
}
