package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/** A constant from the rules document. */
public record Literal(JsonNode node) implements Value {

  @Override
  public JsonNode eval(Scope scope) {
    return node;
  }
}
