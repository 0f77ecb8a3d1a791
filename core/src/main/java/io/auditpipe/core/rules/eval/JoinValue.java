package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.auditpipe.core.model.AuditEventJson;

/**
 * An array joined into one text, for WorkOS fields that only hold scalars (scopes, roles, tags in
 * metadata): elements in their text form ({@link Nodes#text}) with a separator between them, JSON
 * {@code null} elements left out, a scalar taken as a one-element array. With a limit, the text
 * keeps the whole elements that fit and ends with {@value #ELLIPSIS} when any were left out (or
 * cut), so it never exceeds the limit nor splits a surrogate pair.
 */
public final class JoinValue implements Value {

  static final String ELLIPSIS = "…";

  private final Value value;
  private final String separator;
  private final int limit;

  /**
   * @param limit the longest text in characters, or 0 for no limit (the field's own rules apply)
   */
  public JoinValue(Value value, String separator, int limit) {
    this.value = value;
    this.separator = separator;
    this.limit = limit;
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = value.eval(scope);
    if (node == null || Scope.failed(node)) {
      return node;
    }
    if (!node.isArray()) {
      String text = Nodes.text(scope, node);
      if (text == null) {
        return Scope.FAILED;
      }
      return TextNode.valueOf(limit <= 0 || text.length() <= limit ? text : cut(text, ""));
    }
    StringBuilder all = new StringBuilder();
    int fitting = -1;
    boolean first = true;
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      if (element.isNull()) {
        continue;
      }
      if (element.isContainerNode()) {
        return scope.fail(
            "expected an array of strings, numbers or booleans to join, found "
                + AuditEventJson.kind(element)
                + " at index "
                + i);
      }
      if (!first) {
        all.append(separator);
      }
      first = false;
      all.append(element.asText());
      if (limit > 0 && fitting < 0 && all.length() > limit) {
        // The elements before this one are what fits, if anything does.
        fitting = i;
      }
    }
    if (limit <= 0 || all.length() <= limit) {
      return TextNode.valueOf(all.toString());
    }
    return TextNode.valueOf(cut(all.toString(), prefixOfWholeElements(node, fitting)));
  }

  /** The elements before index {@code end}, joined, as long as they fit with the ellipsis. */
  private String prefixOfWholeElements(JsonNode array, int end) {
    StringBuilder out = new StringBuilder();
    String best = "";
    boolean first = true;
    for (int i = 0; i < end; i++) {
      JsonNode element = array.get(i);
      if (element.isNull()) {
        continue;
      }
      if (!first) {
        out.append(separator);
      }
      first = false;
      out.append(element.asText());
      if (out.length() + separator.length() + ELLIPSIS.length() <= limit) {
        best = out.toString();
      } else {
        break;
      }
    }
    return best;
  }

  /**
   * Text over the limit shortened: {@code wholeElements} followed by the separator and the
   * ellipsis, or, when not even one element fits, {@code text} cut to fit the ellipsis.
   */
  private String cut(String text, String wholeElements) {
    if (!wholeElements.isEmpty()) {
      return wholeElements + separator + ELLIPSIS;
    }
    int end = Math.max(0, limit - ELLIPSIS.length());
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }
}
