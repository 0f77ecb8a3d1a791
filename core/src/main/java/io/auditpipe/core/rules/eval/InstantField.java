package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * {@code occurred_at}: a time value, or text in ISO-8601. When absent (not given, or optional and
 * missing) the record's timestamp is used.
 */
public final class InstantField {

  private final String rule;
  private final String location;
  private final Value value;
  private final boolean optional;

  public InstantField(String rule, String location, Value value, boolean optional) {
    this.rule = rule;
    this.location = location;
    this.value = value;
    this.optional = optional;
  }

  /** The instant, {@code null} when absent and optional, or {@link InstantValue#FAILED}. */
  public Instant eval(Scope scope) {
    scope.at(rule, location);
    Instant t;
    if (value instanceof InstantValue iv) {
      t = iv.instant(scope);
    } else {
      JsonNode node = value.eval(scope);
      if (Scope.failed(node)) {
        return InstantValue.FAILED;
      }
      t = node == null ? null : TimestampFormat.ISO8601.parse(scope, node);
      if (node != null && t == null) {
        return InstantValue.FAILED;
      }
    }
    if (t == null && !optional) {
      scope.fail(scope.missingReason());
      return InstantValue.FAILED;
    }
    return t;
  }

  public String location() {
    return location;
  }
}
