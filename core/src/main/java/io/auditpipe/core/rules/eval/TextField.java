package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A text field of the event (organization, action, ids, names, context). A missing required value
 * is a failure at this field's location; a missing optional one leaves the field out.
 */
public final class TextField {

  private final String rule;
  private final String location;
  private final Value value;
  private final boolean optional;

  public TextField(String rule, String location, Value value, boolean optional) {
    this.rule = rule;
    this.location = location;
    this.value = value;
    this.optional = optional;
  }

  /** The text, or {@code null} when absent and optional, or after recording a failure. */
  public String eval(Scope scope) {
    scope.at(rule, location);
    JsonNode node = value.eval(scope);
    if (node == null) {
      if (!optional) {
        scope.fail(scope.missingReason());
      }
      return null;
    }
    if (Scope.failed(node)) {
      return null;
    }
    return Nodes.text(scope, node);
  }

  /** The node, for fields that are not text; same absence rules. */
  public JsonNode evalNode(Scope scope) {
    scope.at(rule, location);
    JsonNode node = value.eval(scope);
    if (node == null) {
      if (!optional) {
        scope.fail(scope.missingReason());
      }
      return null;
    }
    return Scope.failed(node) ? null : node;
  }

  /** The compiled value. */
  Value value() {
    return value;
  }

  public String location() {
    return location;
  }

  public boolean optional() {
    return optional;
  }
}
