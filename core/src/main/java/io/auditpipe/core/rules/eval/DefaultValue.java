package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/** A value with a constant fallback when it is absent. */
public record DefaultValue(Value value, JsonNode fallback) implements Value {

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = value.eval(scope);
    return node == null ? fallback : node;
  }
}
