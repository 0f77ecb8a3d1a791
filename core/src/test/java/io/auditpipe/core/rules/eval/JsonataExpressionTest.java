package io.auditpipe.core.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.rules.RecordContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonataExpressionTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonataExpression.Bounds BOUNDS =
      new JsonataExpression.Bounds(Duration.ofMillis(200), 100);

  private static Scope scope(String json) throws Exception {
    RecordContext ctx =
        new RecordContext(
            "orders",
            3,
            42L,
            Optional.of(Instant.ofEpochMilli(1_780_000_000_000L)),
            Optional.of(TextNode.valueOf("k-1")),
            Map.of("h", "v"));
    return new Scope(MAPPER.readTree(json), ctx);
  }

  private static Object eval(String expression, Scope scope) {
    return JsonataExpression.parse(expression, BOUNDS).evaluate(scope);
  }

  @Test
  void seesTheRecordContext() throws Exception {
    Scope s = scope("{\"a\":1}");
    assertThat(eval("$topic & ':' & $string($partition) & ':' & $string($offset)", s))
        .isEqualTo("orders:3:42");
    assertThat(eval("$key & $headers.h & $string($timestamp)", s)).isEqualTo("k-1v1780000000000");
    assertThat(((Number) eval("$record.a + a", s)).longValue()).isEqualTo(2L);
  }

  @Test
  void infiniteRecursionIsBounded() throws Exception {
    Scope s = scope("{}");
    Object result = eval("($f := function($n) { $f($n + 1) }; $f(0))", s);
    assertThat(result).isSameAs(Scope.FAILED);
    assertThat(s.failures().get(0).reason())
        .containsAnyOf("depth bound of 100", "time bound of 200 ms");
  }

  @Test
  void tailRecursionLoopIsBoundedInTime() throws Exception {
    Scope s = scope("{}");
    Object result = eval("($f := function($n) { $n > 0 ? $f($n + 1) : 0 }; $f(1))", s);
    assertThat(result).isSameAs(Scope.FAILED);
    assertThat(s.failures().get(0).reason()).containsAnyOf("depth bound", "time bound");
  }

  @Test
  void engineErrorsNeverQuoteData() throws Exception {
    Scope s = scope("{\"secret\":\"hunter2\"}");
    assertThat(eval("$number(secret)", s)).isSameAs(Scope.FAILED);
    assertThat(eval("secret - 1", s)).isSameAs(Scope.FAILED);
    assertThat(s.failures()).hasSize(2);
    assertThat(s.failures()).allSatisfy(f -> assertThat(f.reason()).doesNotContain("hunter2"));
    assertThat(s.failures().get(1).reason()).startsWith("JSONata error T2001");
  }

  @Test
  void evalIsRefused() {
    assertThatThrownBy(() -> JsonataExpression.parse("$eval('1 + 1')", BOUNDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("$eval is not allowed in rules");
  }

  @Test
  void resultsConvertToJson() {
    assertThat(JsonataExpression.toJson(null)).isNull();
    assertThat(JsonataExpression.toJson(3.0).isIntegralNumber()).isTrue();
    assertThat(JsonataExpression.toJson(2.5).doubleValue()).isEqualTo(2.5);
    assertThat(JsonataExpression.toJson(java.util.List.of(1, "a")).isArray()).isTrue();
  }
}
