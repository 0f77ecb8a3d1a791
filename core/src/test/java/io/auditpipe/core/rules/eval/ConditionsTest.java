package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditpipe.core.rules.RecordContext;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static Scope scope(String text) {
    ObjectNode root = F.objectNode().put("s", text);
    return new Scope(root, RecordContext.of("t", 0, 0));
  }

  private static Value path(String pointer) {
    return PathValue.ofElement(JsonPointerPath.parse(pointer).path().orElseThrow());
  }

  @Test
  void catastrophicBacktrackingIsStoppedAndReported() {
    Condition evil = Conditions.matches(path("/s"), Pattern.compile("^(.*a){12}$"));
    Scope s = scope("a".repeat(30) + "b");
    assertThat(evil.test(s)).isFalse();
    assertThat(s.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("exceeded its step budget"));
  }

  @Test
  void ordinaryPatternsOnLongTextStillMatch() {
    Condition contains = Conditions.matches(path("/s"), Pattern.compile("needle"));
    Scope s = scope("x".repeat(100_000) + "needle");
    assertThat(contains.test(s)).isTrue();
    assertThat(s.failures()).isEmpty();
  }

  @Test
  void absentSubjectsDoNotMatchAndAreNoError() {
    Scope s = scope("v");
    assertThat(Conditions.equalTo(path("/missing"), F.textNode("v")).test(s)).isFalse();
    assertThat(Conditions.equalTo(path("/missing"), F.nullNode()).test(s)).isTrue();
    assertThat(Conditions.exists(path("/missing"), false).test(s)).isTrue();
    assertThat(Conditions.matches(path("/missing"), Pattern.compile(".*")).test(s)).isFalse();
    assertThat(s.failures()).isEmpty();
  }
}
