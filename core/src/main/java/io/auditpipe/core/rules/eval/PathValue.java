package io.auditpipe.core.rules.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON Pointer into the record's value: relative to the {@code for_each} element inside a fanned
 * out target, or always from the record's root.
 */
public final class PathValue implements Value {

  private final JsonPointerPath path;
  private final boolean fromRoot;
  private final String notFound;
  private final String isNull;

  public PathValue(JsonPointerPath path, boolean fromRoot) {
    this.path = path;
    this.fromRoot = fromRoot;
    this.notFound = "path \"" + path + "\" not found";
    this.isNull = "path \"" + path + "\" is null";
  }

  @Override
  public JsonNode eval(Scope scope) {
    JsonNode node = path.resolve(fromRoot ? scope.root() : scope.current());
    if (node == null || node.isMissingNode()) {
      return scope.missing(notFound);
    }
    if (node.isNull()) {
      return scope.missing(isNull);
    }
    return node;
  }
}
