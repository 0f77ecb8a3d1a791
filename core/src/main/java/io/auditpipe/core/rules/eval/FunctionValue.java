package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** A value passed through one of the fixed {@link StringFunction}s. */
public record FunctionValue(Value value, StringFunction function) implements Value {

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = value.eval(scope);
    if (node == null || Scope.failed(node)) {
      return node;
    }
    String text = Nodes.text(scope, node);
    return text == null ? Scope.FAILED : TextNode.valueOf(function.apply(text));
  }
}
