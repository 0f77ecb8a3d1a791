package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditpipe.core.model.AuditEventJson;

/** Conversions of record nodes to field types; messages name the JSON type, never the value. */
public final class Nodes {

  private Nodes() {}

  /**
   * The node as text: strings as they are, numbers and booleans in their JSON form; objects and
   * arrays are a failure. Returns {@code null} after recording the failure.
   */
  public static String text(Scope scope, JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    scope.fail("expected a string, number or boolean, found " + AuditEventJson.kind(node));
    return null;
  }

  /** True for nodes that count as absent: Java null, missing, JSON null. */
  public static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }
}
