package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A value translated through a table in the rules document, e.g. tenant slug to organization. */
public final class LookupValue implements Value {

  private final Value key;
  private final Map<String, JsonNode> table;

  public LookupValue(Value key, Map<String, JsonNode> table) {
    this.key = key;
    this.table = Map.copyOf(table);
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = key.eval(scope);
    if (node == null || Scope.failed(node)) {
      return node;
    }
    String text = Nodes.text(scope, node);
    if (text == null) {
      return Scope.FAILED;
    }
    JsonNode found = table.get(text);
    return found == null ? scope.missing("the lookup table has no entry for the value") : found;
  }
}
