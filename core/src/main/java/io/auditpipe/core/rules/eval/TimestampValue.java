package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.model.AuditEventJson;
import java.time.Instant;

/**
 * A time read from the record in an explicit format. As {@code occurred_at} it is an instant; in a
 * text field (e.g. metadata) it is written as ISO-8601 UTC with milliseconds.
 */
public record TimestampValue(Value value, TimestampParser format) implements InstantValue {

  @Override
  public Instant instant(Scope scope) {
    JsonNode node = value.eval(scope);
    if (node == null) {
      return null;
    }
    if (Scope.failed(node)) {
      return FAILED;
    }
    Instant t = format.parse(scope, node);
    return t == null ? FAILED : t;
  }

  @Override
  public JsonNode eval(Scope scope) {
    Instant t = instant(scope);
    if (t == null || InstantValue.failed(t)) {
      return t == null ? null : Scope.FAILED;
    }
    return TextNode.valueOf(AuditEventJson.OCCURRED_AT.format(t));
  }
}
