package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/** A field computed by a JSONata expression: the escape hatch, not the default. */
public record JsonataValue(JsonataExpression expression) implements Value {

  @Override
  public JsonNode eval(Scope scope) {
    Object result = expression.evaluate(scope);
    if (result == Scope.FAILED) {
      return Scope.FAILED;
    }
    JsonNode node = JsonataExpression.toJson(result);
    return node == null ? scope.missing("the JSONata expression yielded nothing") : node;
  }
}
