package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CompiledRules#readValue} builds only what the rules read, and mapping its tree gives
 * exactly what mapping {@code ObjectMapper.readTree} gives: over every golden input and over random
 * documents, for every golden rules document.
 */
class ProjectedReadTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void projectedTreesMapExactlyLikeFullTrees() throws Exception {
    List<GoldenCorpus.Sample> samples =
        GoldenCorpus.samples(GoldenCorpus.load(), new Random(7), 200);
    for (GoldenCorpus.Sample sample : samples) {
      CompiledRules rules = sample.entry().rules();
      byte[] bytes = sample.bytes();
      String full =
          MAPPER.writeValueAsString(
              GoldenCase.render(rules.map(MAPPER.readTree(bytes), sample.context())));
      String projected =
          MAPPER.writeValueAsString(
              GoldenCase.render(rules.map(rules.readValue(bytes), sample.context())));
      assertThat(projected)
          .as(
              "%s on %s: %s",
              sample.entry().name(), sample.source(), new String(bytes, StandardCharsets.UTF_8))
          .isEqualTo(full);
    }
    assertThat(samples).hasSizeGreaterThan(3000);
  }

  @Test
  void skipsWhatNoRuleReads() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            """
            {"version": 1, "rules": [{"name": "r", "topics": ["t"], "organization_id": {"path": "/org"},
              "action": "a.{/kind}", "actor": {"id": {"path": "/u/id"}, "type": "user"},
              "context": {"location": "l"},
              "targets": [{"for_each": "/items", "id": {"path": "/sku"}, "type": "item"},
                          {"id": {"path": "/pairs/1"}, "type": "pair"}]}]}
            """);
    JsonNode tree =
        rules.readValue(
            ("{\"org\":\"o\",\"kind\":\"k\",\"big\":{\"deep\":[1,2,3]},\"u\":{\"id\":7,\"pw\":\"x\"},"
                    + "\"items\":[{\"sku\":\"a\",\"price\":1},{\"sku\":\"b\"}],\"pairs\":[\"p0\",\"p1\",\"p2\"]}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(tree)
        .isEqualTo(
            MAPPER.readTree(
                "{\"org\":\"o\",\"kind\":\"k\",\"u\":{\"id\":7},"
                    + "\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}],\"pairs\":[null,\"p1\",null]}"));
  }

  @Test
  void jsonataReadsEverything() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            """
            {"version": 1, "rules": [{"name": "r", "topics": ["t"], "organization_id": "o",
              "action": {"jsonata": "kind"}, "actor": {"id": "u", "type": "user"},
              "context": {"location": "l"}, "targets": []}]}
            """);
    String json = "{\"kind\":\"k\",\"other\":{\"a\":[1,2.5,true,null,\"s\"]}}";
    assertThat(rules.readValue(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(MAPPER.readTree(json));
  }

  @Test
  void malformedJsonStillFails() throws Exception {
    CompiledRules rules =
        RulesCompiler.compile(
            """
            {"version": 1, "rules": [{"name": "r", "topics": ["t"], "organization_id": "o",
              "action": "a", "actor": {"id": "u", "type": "user"},
              "context": {"location": "l"}, "targets": []}]}
            """);
    assertThatThrownBy(
            () -> rules.readValue("{\"skipped\": [1, 2".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
    assertThat(rules.readValue(new byte[0]).isMissingNode()).isTrue();
    ObjectNode empty = MAPPER.createObjectNode();
    assertThat(rules.readValue("{\"x\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(empty);
  }
}
