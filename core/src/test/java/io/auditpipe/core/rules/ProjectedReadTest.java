package io.auditpipe.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link CompiledRules#readValue} builds: only what the rules read, everything for JSONata, a
 * Connect envelope's payload, and nothing for malformed input or input with more than one value.
 * That its trees map as whole trees do is {@link StreamedMappingTest}'s.
 */
class ProjectedReadTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

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

  private static final String PAYLOAD_RULES =
      """
      {"version": 1, "rules": [{"name": "r", "topics": ["t"], "organization_id": {"path": "/org"},
        "action": "a", "actor": {"id": {"path": "/user/id"}, "type": "user"},
        "context": {"location": "l"},
        "targets": [], "metadata": {"p": {"path": "/payload/id", "optional": true}}}]}
      """;

  @Test
  void aConnectEnvelopeIsReadAsItsPayload() throws Exception {
    CompiledRules rules = RulesCompiler.compile(PAYLOAD_RULES);
    String payload = "{\"org\":\"o\",\"user\":{\"id\":\"u\"},\"payload\":{\"id\":\"p\"}}";
    for (String schema : List.of("{\"type\":\"struct\",\"fields\":[]}", "null")) {
      String envelope = "{\"schema\":" + schema + ",\"payload\":" + payload + "}";
      assertThat(rules.readValue(envelope.getBytes(StandardCharsets.UTF_8)))
          .as(envelope)
          .isEqualTo(MAPPER.readTree(payload));
    }
    assertThat(
            rules.readValue("{\"schema\":null,\"payload\":null}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(MAPPER.nullNode());
  }

  @Test
  void anObjectWithAPayloadMemberIsNoEnvelopeUnlessItHasExactlyTheTwo() throws Exception {
    CompiledRules rules = RulesCompiler.compile(PAYLOAD_RULES);
    for (String json :
        List.of(
            "{\"org\":\"o\",\"user\":{\"id\":\"u\"},\"payload\":{\"id\":\"p\"}}",
            "{\"schema\":{},\"payload\":{\"id\":\"p\"},\"org\":\"o\"}",
            "{\"schema\":\"s\",\"payload\":{\"id\":\"p\"}}",
            "{\"payload\":{\"id\":\"p\"}}")) {
      MappingOutcome projected =
          rules.map(
              rules.readValue(json.getBytes(StandardCharsets.UTF_8)), RecordContext.of("t", 0, 0));
      assertThat(render(projected))
          .as(json)
          .isEqualTo(render(rules.map(MAPPER.readTree(json), RecordContext.of("t", 0, 0))));
    }
  }

  @Test
  void anythingAfterTheValueFails() throws Exception {
    CompiledRules rules = RulesCompiler.compile(PAYLOAD_RULES);
    for (String json : List.of("{\"org\":\"o\"} {}", "{} x", "7 8", "{\"org\":\"o\"}]")) {
      assertThatThrownBy(() -> rules.readValue(json.getBytes(StandardCharsets.UTF_8)))
          .as(json)
          .isInstanceOf(IOException.class);
    }
    assertThat(rules.readValue("{\"org\":\"o\"}  \n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(MAPPER.readTree("{\"org\":\"o\"}"));
  }

  // occurred_at defaults to now: compare without it.
  private static String render(MappingOutcome outcome) throws IOException {
    JsonNode rendered = GoldenCase.render(outcome);
    rendered.findParents("occurred_at").forEach(n -> ((ObjectNode) n).remove("occurred_at"));
    return MAPPER.writeValueAsString(rendered);
  }
}
