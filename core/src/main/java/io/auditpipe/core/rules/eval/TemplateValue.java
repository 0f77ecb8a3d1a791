package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;

/**
 * Text mixing literal parts and values, e.g. {@code "order.{/status}"}. If any value is absent the
 * whole template is absent, so {@code optional} and {@code default} apply to it as to a path.
 */
public final class TemplateValue implements Value {

  private final String[] literals;
  private final Value[] values;
  private final int sizeHint;

  /**
   * @param literals the text before each value, and one more after the last: {@code literals.size()
   *     == values.size() + 1}
   */
  public TemplateValue(List<String> literals, List<Value> values) {
    if (literals.size() != values.size() + 1) {
      throw new IllegalArgumentException("expected one more literal than values");
    }
    this.literals = literals.toArray(new String[0]);
    this.values = values.toArray(new Value[0]);
    int size = 16 * values.size();
    for (String l : literals) {
      size += l.length();
    }
    this.sizeHint = size;
  }

  @Override
  public JsonNode eval(Scope scope) {
    StringBuilder out = new StringBuilder(sizeHint);
    out.append(literals[0]);
    for (int i = 0; i < values.length; i++) {
      JsonNode node = values[i].eval(scope);
      if (node == null || Scope.failed(node)) {
        return node;
      }
      String text = Nodes.text(scope, node);
      if (text == null) {
        return Scope.FAILED;
      }
      out.append(text).append(literals[i + 1]);
    }
    return TextNode.valueOf(out.toString());
  }
}
