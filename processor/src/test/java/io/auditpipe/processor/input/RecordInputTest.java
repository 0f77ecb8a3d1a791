package io.auditpipe.processor.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.auditpipe.core.deadletter.FailureStage;
import io.auditpipe.core.rules.CompiledRules;
import io.auditpipe.core.rules.RulesCompiler;
import io.auditpipe.processor.errors.DeadLetterException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordInputTest {

  // Rules reading /a and /kind, so that the trees read for them hold those members.
  private final RecordInput input = new RecordInput(rules());

  private static CompiledRules rules() {
    try {
      return RulesCompiler.compile(
          """
          {"version": 1, "rules": [{"name": "r", "topics": ["t"], "organization_id": "o",
            "action": "a.{/a}.{/kind}", "actor": {"id": "u", "type": "user"},
            "context": {"location": "l"}, "targets": []}]}
          """);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readsPlainJsonAndUnwrapsTheConnectEnvelope() {
    assertThat(input.value(utf8("{\"a\":1}")).orElseThrow().path("a").asInt()).isEqualTo(1);
    assertThat(
            input
                .value(utf8("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"a\":2}}"))
                .orElseThrow()
                .path("a")
                .asInt())
        .isEqualTo(2);
    // An object that merely has a "payload" field is the domain event itself.
    assertThat(
            input.value(utf8("{\"payload\":{\"a\":3},\"kind\":\"x\"}")).orElseThrow().has("kind"))
        .isTrue();
  }

  @Test
  void treatsNullAndANullEnvelopePayloadAsTombstones() {
    assertThat(input.value(null)).isEmpty();
    assertThat(input.value(utf8("{\"schema\":null,\"payload\":null}"))).isEmpty();
  }

  @Test
  void failsMalformedJsonAtTheConvertStageWithoutQuotingIt() {
    assertThatThrownBy(() -> input.value(utf8("{\"password\": hunter2}")))
        .isInstanceOfSatisfying(
            DeadLetterException.class,
            e -> {
              assertThat(e.deadLetter().stage()).isEqualTo(FailureStage.CONVERT);
              assertThat(e.deadLetter().reason())
                  .contains("line 1, column")
                  .doesNotContain("hunter2");
            });
    assertThatThrownBy(() -> input.value(utf8("{\"a\":1} trailing")))
        .isInstanceOf(DeadLetterException.class);
    assertThatThrownBy(() -> input.value(new byte[0])).isInstanceOf(DeadLetterException.class);
  }

  @Test
  void passesKeysAsJsonWhenTheyAreJsonAndAsTextOtherwise() {
    assertThat(input.key(utf8("{\"id\":7}")).orElseThrow().path("id").asInt()).isEqualTo(7);
    assertThat(input.key(utf8("\"quoted\""))).contains(JsonNodeFactory.instance.textNode("quoted"));
    assertThat(input.key(utf8("42"))).contains(JsonNodeFactory.instance.textNode("42"));
    assertThat(input.key(utf8("user-1"))).contains(JsonNodeFactory.instance.textNode("user-1"));
    assertThat(input.key(utf8("{not json")))
        .contains(JsonNodeFactory.instance.textNode("{not json"));
    assertThat(input.key(new byte[] {(byte) 0xC3, (byte) 0x28})).isEmpty();
    assertThat(input.key(null)).isEmpty();
  }

  @Test
  void unwrapsAConnectEnvelopeKeyAsTheConnectorDoes() {
    // The connector (RecordValueConverterKeyTest) gives the same keys for the same bytes.
    assertThat(
            input
                .key(utf8("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"user\":\"svc-9\"}}"))
                .orElseThrow()
                .path("user")
                .asText())
        .isEqualTo("svc-9");
    assertThat(input.key(utf8("{\"schema\":{\"type\":\"string\"},\"payload\":\"c-1\"}")))
        .contains(JsonNodeFactory.instance.textNode("c-1"));
    assertThat(input.key(utf8("{\"schema\":null,\"payload\":null}"))).isEmpty();
  }

  @Test
  void leavesOutKeysThatAreNotUtf8AsTheConnectorDoes() {
    assertThat(input.key(new byte[] {'u', '-', (byte) 0xFF})).isEmpty();
    assertThat(input.key(new byte[] {'"', (byte) 0xE9, '"'})).isEmpty();
    // The replacement character is what the connector's StringConverter leaves of such bytes.
    assertThat(input.key(utf8("u-\uFFFD"))).isEmpty();
    assertThat(input.key(utf8("caf\u00e9"))).contains(JsonNodeFactory.instance.textNode("café"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
